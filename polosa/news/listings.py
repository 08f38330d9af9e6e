"""Headline listings with keyset pagination on (publication time, id).

OFFSET pagination reads and throws away every earlier row, which a section with 100,000 articles
cannot afford; a keyset cursor starts each page with an index seek. The cursor is signed so a reader
who edits it by hand gets a clear 400 instead of a confusing page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from polosa.caching import depends_on, keys

PAGE_SIZE = 20
CURSOR_PARAM = "after"
_signer = signing.Signer(salt="polosa.news.listing-cursor")


@dataclass
class Listing:
    items: list
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def make_cursor(published_at: datetime, pk: int) -> str:
    return _signer.sign(f"{int(published_at.timestamp() * 1_000_000)}.{pk}")


def parse_cursor(value: str) -> tuple[datetime, int]:
    """The position a cursor points after; BadRequest (400) when it was altered or is malformed."""
    try:
        raw = _signer.unsign(value)
        micros, pk = raw.split(".")
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (signing.BadSignature, ValueError, OverflowError, OSError) as error:
        raise BadRequest(_("The page link is damaged. Open the list again from its first page.")) from error


def after(queryset: QuerySet, published_at: datetime, pk: int) -> QuerySet:
    return queryset.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet,
    page_size: int = PAGE_SIZE,
    prepare: Callable[[list], list] | None = None,
) -> Listing:
    """One page of `queryset` (already filtered and ordered newest first) after the request's cursor.

    One query: it reads one row more than it shows to learn whether a next page exists. `prepare`
    turns the rows into what the template shows (feed lines, cards with their photos).
    """
    cursor = request.GET.get(CURSOR_PARAM)
    if cursor:
        queryset = after(queryset, *parse_cursor(cursor))
    items = list(queryset[: page_size + 1])
    next_cursor = None
    if len(items) > page_size:
        items = items[:page_size]
        last = items[-1]
        next_cursor = make_cursor(last.published_at, last.pk)
    return Listing(items=prepare(items) if prepare else items, next_cursor=next_cursor)


def article_listing(request: HttpRequest, queryset: QuerySet, page_size: int = PAGE_SIZE) -> Listing:
    """A page of article cards: rubric, tags and the card-size photo in a fixed number of queries."""
    return keyset_page(request, for_listing(queryset), page_size, prepare=with_card_renditions)


# What components/card--article.html reads of an article and its section. A listing page builds twenty
# articles and twenty sections; loading whole pages (every Wagtail column, the body) tripled the
# time a cold section page spends in Python.
CARD_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "depth",
    "path",
    "live",
    "content_type",
    "locale",
    "lead",
    "published_at",
    "is_breaking",
    "is_main_story",
    "is_exclusive",
    "genre",
    "section__title",
    "section__url_path",
    "section__slug",
    "section__depth",
    "section__path",
    "hero_image",
)


def for_listing(queryset: QuerySet) -> QuerySet:
    """Cards for a listing: narrow rows with the rubric and the photo joined (one query).

    Listing cards do not name the article's main person, so its tags are not fetched.
    """
    return queryset.select_related("section", "hero_image").only(*CARD_FIELDS)


# The photo sizes a card shows (components/card--article.html); fetched with the images so a
# listing of twenty cards does not look each rendition up on its own.
CARD_FILTER_SPECS = ("fill-400x225|format-webp", "fill-800x450|format-webp")


def with_card_renditions(articles: list) -> list:
    from django.db.models import Prefetch, prefetch_related_objects
    from wagtail.images import get_image_model

    images = [a.hero_image for a in articles if a.hero_image_id and a.hero_image is not None]
    if images:
        depends_on(*(keys.image(image.pk) for image in images))
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=CARD_FILTER_SPECS)
        prefetch_related_objects(images, Prefetch("renditions", queryset=renditions))
    return articles
