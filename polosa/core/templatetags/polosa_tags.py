import json

from django import template
from django.utils.safestring import mark_safe

from polosa.core import dates, slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name):
    request = context.get("request")
    if request is None:
        return ""
    return slots.render(name, request, context.flatten())


@register.filter
def image_preview(image, shape="fill"):
    """A tiny preview of `image` as a data: URI, for the placeholder under a lazy image; `shape` is
    "fill" (16×9 around the focal point, under a fill- crop) or "whole" (under an uncut photo)."""
    from polosa.images.previews import preview_uri

    return preview_uri(image, shape)


@register.simple_tag
def lazy_preview(image, shape="fill"):
    """The placeholder <img> under a lazy picture (class "image-preview", styled in site.css), or ""
    when the image has no preview. Its box is the picture's: the picture reserves the space."""
    from django.utils.html import format_html

    from polosa.images.previews import FILL, PREVIEW_SIDE, PREVIEW_SIZE, preview_uri

    uri = preview_uri(image, shape)
    if not uri:
        return ""
    if shape == FILL or not (image.width and image.height):
        width, height = PREVIEW_SIZE
    else:
        scale = PREVIEW_SIDE / max(image.width, image.height)
        width, height = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    return format_html(
        '<img class="image-preview" src="{}" alt="" width="{}" height="{}">', uri, width, height
    )


@register.filter
def feed_time(value):
    return dates.feed_time(value) if value else ""


@register.filter
def long_datetime(value):
    return dates.long_datetime(value) if value else ""


@register.filter
def long_date(value):
    return dates.long_date(value) if value else ""


@register.filter
def iso(value):
    return dates.iso(value) if value else ""


_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@register.filter
def json_ld(data):
    """Structured data for a <script type="application/ld+json"> element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(text.translate(_JSON_ESCAPES))


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def safe_richtext(value):
    """Database rich text expanded to HTML and cleaned with the project's allow-list."""
    from wagtail.rich_text import expand_db_html

    from polosa.core.sanitize import clean_rendered_html

    return mark_safe(clean_rendered_html(expand_db_html(str(value or ""))))


@register.simple_tag
def card_marking(item, style="card"):
    """Labels other apps attach to an item's card (polosa.core.markings), e.g. the ad marking."""
    from polosa.core import markings

    return markings.marking_for(item, style)
