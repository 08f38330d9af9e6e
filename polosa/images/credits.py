"""Photo credits are names; the templates print the «Фото:» before them."""

from __future__ import annotations

import re

# «Фото:», «Фото —», «Photo:», «Фото/», any case, with the spaces around it.
_PREFIX = re.compile(r"^\s*(фото|photo)\s*[:/—–-]\s*", re.IGNORECASE)


def clean_credit(text: str) -> str:
    """ "Фото: Анна Иванова / ТАСС" -> "Анна Иванова / ТАСС" (a typed prefix would print twice)."""
    text = (text or "").strip()
    while match := _PREFIX.match(text):
        text = text[match.end() :].strip()
    return text
