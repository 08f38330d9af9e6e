"""Checks for the details advertising law asks for: the advertiser's ИНН, the erid, a colour."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ERID_RE = re.compile(r"^[0-9A-Za-z]{4,64}$")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(value: str) -> bool:
    """A Russian taxpayer number: 10 digits for an organisation, 12 for a person, with checksums."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    if len(digits) == 10:
        return _check_digit(digits, _INN10) == digits[9]
    if len(digits) == 12:
        return _check_digit(digits, _INN11) == digits[10] and _check_digit(digits, _INN12) == digits[11]
    return False


def validate_inn(value: str) -> None:
    if not inn_is_valid(value):
        raise ValidationError(
            _(
                "Enter a valid INN: 10 digits for an organisation or 12 for a person, with a correct "
                "checksum."
            ),
            code="invalid_inn",
        )


def validate_erid(value: str) -> None:
    if value and not ERID_RE.match(value):
        raise ValidationError(
            _(
                "An erid is 4 to 64 Latin letters and digits, exactly as the advertising data operator "
                "issued it."
            ),
            code="invalid_erid",
        )


def validate_hex_colour(value: str) -> None:
    if not HEX_RE.match(value or ""):
        raise ValidationError(_("Enter a colour as #RRGGBB, for example #0b6e4f."), code="invalid_colour")


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #RRGGBB."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_for(background: str) -> str:
    """Black or white, whichever reads better on `background` (one of them always reaches 4.5:1)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") else "#ffffff"
