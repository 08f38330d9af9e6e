"""Highlighted snippets: everything is escaped first, then matched words are wrapped in <mark>."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import analysis

SNIPPET_CHARS = 240
CONTEXT_BEFORE = 60


def _matches(text: str, stems: frozenset[str], until: int | None = None) -> list[tuple[int, int]]:
    """Spans of the words of `text` whose stem is in `stems` (up to offset `until`)."""
    spans = []
    for m in analysis.WORD_RE.finditer(text):
        if until is not None and m.start() >= until:
            break
        word = analysis.normalize_word(m.group())
        if word not in analysis.STOPWORDS and analysis.stem(word) in stems:
            spans.append(m.span())
    return spans


def has_match(text: str, stems: frozenset[str]) -> bool:
    for m in analysis.WORD_RE.finditer(text):
        word = analysis.normalize_word(m.group())
        if word not in analysis.STOPWORDS and analysis.stem(word) in stems:
            return True
    return False


def highlight(text: str, stems: frozenset[str], max_chars: int | None = SNIPPET_CHARS) -> SafeString:
    """`text` (plain, untrusted) as safe HTML, cut to about `max_chars` around the first match."""
    text = " ".join((text or "").split())
    spans = _matches(text, stems)
    start, end = 0, len(text)
    if max_chars is not None and len(text) > max_chars:
        if spans and spans[0][0] > CONTEXT_BEFORE:
            start = text.rfind(" ", 0, spans[0][0] - CONTEXT_BEFORE) + 1
        end = start + max_chars
        if end < len(text):
            cut = text.rfind(" ", start, end)
            end = cut if cut > start else end
    parts = ["…" if start > 0 else ""]
    position = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(escape(text[position:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # every piece of text above is escaped
