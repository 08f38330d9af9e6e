"""Numbers the Russian way: decimal comma, a no-break space between thousands, a true minus "−"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
THOUSANDS = "\u00a0"


def number(value: Decimal, places: int = 2, signed: bool = False) -> str:
    """ "75,92"; with `signed`, "+0,27" / "−0,11" / "0,00" (no sign on zero)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = THOUSANDS.join(groups) + ("," + fraction if fraction else "")
    if rounded < 0:
        return MINUS + text
    if signed and rounded > 0:
        return "+" + text
    return text


def direction(change: Decimal | None, places: int = 2) -> str:
    """ "up", "down" or "same" as the reader sees the rounded change."""
    if change is None:
        return ""
    rounded = Decimal(change).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return "up" if rounded > 0 else "down" if rounded < 0 else "same"


ARROWS = {"up": "▲", "down": "▼", "same": ""}
