"""The text of an article that entities are read from: headline, lead and the body's words."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.blocks import StreamValue, StructValue
from wagtail.rich_text import RichText

from .extraction import clean_text

ENDINGS = ".!?…:;"


@dataclass(frozen=True)
class ArticleText:
    headline: str
    text: str  # headline, lead and body, the headline first


def _block_text(value) -> list[str]:
    if isinstance(value, RichText):
        return [clean_text(value.source)]
    if isinstance(value, str):
        return [clean_text(value)]
    if isinstance(value, StructValue):
        return [part for item in value.values() for part in _block_text(item)]
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ListValue":
        return [part for item in value for part in _block_text(item)]
    return []  # pages, images, tags, embeds: no text of the article's own


def article_text(article) -> ArticleText:
    """The headline, lead and body of `article` (a page or a revision's copy of one) as plain text."""
    parts = [clean_text(article.title or ""), clean_text(article.lead or "")]
    body = article.body
    if isinstance(body, StreamValue):
        for block in body:
            parts.extend(_block_text(block.value))
    # A headline (and often a lead, a caption, a fact) has no full stop; without one it would run
    # into the next sentence and the model would read «Калининград Рейс» as one name.
    parts = [p if p[-1] in ENDINGS else f"{p}." for p in parts if p]
    headline = parts[0] if article.title and parts else ""
    return ArticleText(headline, " ".join(parts))
