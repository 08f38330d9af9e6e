import pytest
from django.utils import translation

from polosa.images.credits import clean_credit
from polosa.images.models import PolosaImage

from .factories import PolosaImageFactory


@pytest.mark.parametrize(
    "typed",
    [
        "Фото: Анна Иванова / ТАСС",
        "фото — Анна Иванова / ТАСС",
        "Photo: Анна Иванова / ТАСС",
        "  Анна Иванова / ТАСС ",
    ],
)
def test_a_typed_photo_prefix_is_removed_because_the_page_adds_it(typed):
    assert clean_credit(typed) == "Анна Иванова / ТАСС"


def test_a_name_that_merely_starts_like_the_word_is_kept():
    assert clean_credit("Фотохроника ТАСС") == "Фотохроника ТАСС"


@pytest.mark.django_db
def test_an_image_is_stored_without_the_prefix():
    image = PolosaImageFactory(credit="Фото: Олег Ветров / «Вестник»")
    assert PolosaImage.objects.get(pk=image.pk).credit == "Олег Ветров / «Вестник»"


def test_the_credit_field_says_the_page_adds_photo():
    with translation.override("ru"):
        help_text = str(PolosaImage._meta.get_field("credit").help_text)
    assert "«Фото:»" in help_text
    assert "добав" in help_text
