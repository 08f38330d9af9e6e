"""URL path converters shared by the apps, registered once in CoreConfig.ready().

``<id:name>`` is Django's ``<int:name>`` bounded to what a BigAutoField can hold: a larger number in a
URL is "no such page" (404), where ``int`` passed it on and the database raised (OverflowError on
SQLite, NumericValueOutOfRange on PostgreSQL), which answered 500.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    # 19 digits hold MAX_ID; a longer run of digits is refused without converting it.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"id {value} is past the database range")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    """Make ``<id:…>`` available to every URLconf; called from CoreConfig.ready()."""
    register_converter(IdConverter, "id")
