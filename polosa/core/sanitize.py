"""HTML allow-lists, applied with nh3 before rich text is stored and again when it is rendered.

The stored form is Wagtail's database rich text (internal links as ``<a linktype="page" id="3">``,
images as ``<embed embedtype="image" …/>``); the rendered form is ordinary HTML. Anything not on a
list below is dropped: scripts, event handlers, styles, iframes, forms, ``javascript:`` URLs.
"""

from __future__ import annotations

import re

import nh3
from django.conf import settings

_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_TEXT_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "hr",
    "a",
}

STORED_TAGS = _TEXT_TAGS | {"embed"}
STORED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt"},
}

RENDERED_TAGS = _TEXT_TAGS | {"img", "figure", "figcaption", "picture", "source", "span"}
RENDERED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding", "class"},
    "source": {"srcset", "sizes", "type", "media"},
    "figure": {"class"},
    "span": {"class"},
}


def clean_stored_rich_text(html: str) -> str:
    """Clean rich text in Wagtail's database format before it is saved."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=STORED_TAGS,
        attributes=STORED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # Wagtail only recognises self-closed embeds; nh3 writes them as HTML void elements.
    return _EMBED.sub(r"<embed\1/>", cleaned)


def _local_images_only(element: str, attribute: str, value: str) -> str | None:
    # Images in rich text come from Wagtail's own image embeds, so they point at our media; an
    # outside address can only come from an import and would let a third party track readers.
    if element in ("img", "source") and attribute in ("src", "srcset"):
        media = settings.MEDIA_URL
        sources = (
            [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
        )
        if not all(s.startswith(("/", media)) and not s.startswith("//") for s in sources):
            return None
    return value


def clean_rendered_html(html: str) -> str:
    """Clean rich text after Wagtail expanded it to HTML, just before it reaches a reader."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=RENDERED_TAGS,
        attributes=RENDERED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
        attribute_filter=_local_images_only,
    )


def strip_tags(html: str) -> str:
    """Plain text with every tag removed (entities stay escaped, as nh3 returns HTML)."""
    return nh3.clean(html or "", tags=set(), strip_comments=True)
