import pytest
from django.core.exceptions import ValidationError

from polosa.promos.links import with_erid
from polosa.promos.validators import (
    contrast,
    inn_is_valid,
    text_colour_for,
    validate_erid,
    validate_hex_colour,
    validate_inn,
)


@pytest.mark.parametrize("inn", ["7707083893", "7701234560", "500100732185"])
def test_valid_inn_checksums_pass(inn):
    assert inn_is_valid(inn)
    validate_inn(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",
        "7700000001",
        "500100732186",
        "123",
        "77070838930",
        "",
        "77O7083893",
        "７７０７０８３８９３",
        None,
    ],
)
def test_wrong_checksum_length_or_characters_are_refused(inn):
    assert not inn_is_valid(inn)
    with pytest.raises(ValidationError):
        validate_inn(inn)


@pytest.mark.parametrize("erid", ["2SDnjeXXXX", "LjN8K8A6b", "Kra23f4Xq"])
def test_operator_erids_are_accepted(erid):
    validate_erid(erid)


@pytest.mark.parametrize("erid", ["abc", "2SDnje XXXX", "2SDnje&x=1", "эрид12345", "x" * 65])
def test_malformed_erids_are_refused(erid):
    with pytest.raises(ValidationError):
        validate_erid(erid)


@pytest.mark.parametrize("colour", ["#0b6e4f", "#FFFFFF", "#000000"])
def test_hex_colours_are_accepted(colour):
    validate_hex_colour(colour)


@pytest.mark.parametrize("colour", ["0b6e4f", "#fff", "red", "#0b6e4g", "#0b6e4f;}body{x", ""])
def test_anything_but_rrggbb_is_refused(colour):
    with pytest.raises(ValidationError):
        validate_hex_colour(colour)


@pytest.mark.parametrize(
    "background", ["#0b6e4f", "#ffcc00", "#777777", "#1f6feb", "#ffffff", "#000000", "#808080"]
)
def test_text_on_the_accent_colour_keeps_wcag_aa_contrast(background):
    assert contrast(background, text_colour_for(background)) >= 4.5


def test_light_accents_get_black_text_and_dark_ones_white():
    assert text_colour_for("#ffcc00") == "#000000"
    assert text_colour_for("#0b3d91") == "#ffffff"


def test_erid_is_added_to_the_query_with_its_case_kept():
    assert with_erid("https://a.example/offer", "2SDnjeXXXX") == "https://a.example/offer?erid=2SDnjeXXXX"


def test_erid_keeps_other_parameters_and_replaces_an_old_erid():
    url = with_erid("https://a.example/p?utm_source=polosa&erid=old#form", "LjN8K8A6b")
    assert url == "https://a.example/p?utm_source=polosa&erid=LjN8K8A6b#form"
