"""The arithmetic of the small SVG charts drawn on the server (the rates page, the promo report):
where a day or a value lands in the picture, and round steps for a value axis. Each chart draws its own
shapes; what both need lives here once."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Maps values from ``low``..``high`` onto ``start``..``end`` in the picture (``end`` above
    ``start`` on a value axis, as SVG counts from the top). An empty range lands in the middle."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (self.end - self.start) * (value - self.low) / (self.high - self.low)


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` grid lines."""
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude
