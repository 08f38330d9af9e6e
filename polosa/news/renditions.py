"""The photo sizes readers' pages show, made when an article is published rather than on first view.

A rendition is made the first time a template asks for it: on a breaking story that is the first
reader after the publish, who waits while the photo is resized six or more times (and so do all the
readers behind the stampede lock). Publishing queues `prepare` instead. The specs below are the ones
the templates ask for; a test renders the pages after a publish and fails if any rendition is missing.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

# news/article_page.html: {% picture page.hero_image format-{webp,jpeg} fill-{480x270,800x450,1200x675} %}
# syndication (JSON-LD, Open Graph): fill-1200x675, fill-1200x900, fill-1200x1200
# components/card--article.html: fill-400x225 and (main story) fill-800x450, webp
# news/blocks/related.html: fill-240x160, webp
HERO_SPECS = (
    "format-webp|fill-480x270",
    "format-webp|fill-800x450",
    "format-webp|fill-1200x675",
    "format-jpeg|fill-480x270",
    "format-jpeg|fill-800x450",
    "format-jpeg|fill-1200x675",
    "fill-1200x675",
    "fill-1200x900",
    "fill-1200x1200",
    "fill-400x225|format-webp",
    "fill-800x450|format-webp",
    "fill-240x160|format-webp",
)
# news/blocks/image.html: {% picture value.image format-{webp,jpeg} width-{480,800,1200} %}
BODY_IMAGE_SPECS = (
    "format-webp|width-480",
    "format-webp|width-800",
    "format-webp|width-1200",
    "format-jpeg|width-480",
    "format-jpeg|width-800",
    "format-jpeg|width-1200",
)


# The placeholders under the lazy ones (polosa.images.previews): cards cut the hero, the body shows
# its photos whole.
HERO_PREVIEW = "fill"
BODY_IMAGE_PREVIEW = "whole"


def images_with_specs(article) -> list[tuple[object, tuple[str, ...], str]]:
    found = []
    if article.hero_image_id and article.hero_image is not None:
        found.append((article.hero_image, HERO_SPECS, HERO_PREVIEW))
    for block in article.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            found.append((block.value["image"], BODY_IMAGE_SPECS, BODY_IMAGE_PREVIEW))
    return found


def prepare(article) -> int:
    """Make every rendition and preview the article's pages and cards show; returns how many images
    were done. An image whose file is missing or broken is logged and skipped: the page shows it as
    before."""
    from polosa.images.previews import preview_uri

    done = 0
    for image, specs, preview in images_with_specs(article):
        preview_uri(image, preview)  # logs, never raises
        try:
            image.get_renditions(*specs)
        except Exception as error:  # a missing file, an unreadable image, a full disk
            logger.warning(
                "renditions for image %s of article %s were not made: %s", image.pk, article.pk, error
            )
        else:
            done += 1
    return done
