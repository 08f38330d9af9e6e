"""Headline listings with keyset pagination on (publication time, id).

OFFSET pagination reads and throws away every earlier row, which a section with 100,000 articles
cannot afford; a keyset cursor starts each page with an index seek. The cursor is signed so a reader
who edits it by hand gets a clear 400 instead of a confusing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

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


def article_listing(request: HttpRequest, queryset: QuerySet, page_size: int = PAGE_SIZE) -> Listing:
    """One page of `queryset` (already filtered and ordered newest first) after the request's cursor."""
    cursor = request.GET.get(CURSOR_PARAM)
    if cursor:
        queryset = after(queryset, *parse_cursor(cursor))
    items = list(queryset.for_cards()[: page_size + 1])
    next_cursor = None
    if len(items) > page_size:
        items = items[:page_size]
        last = items[-1]
        next_cursor = make_cursor(last.published_at, last.pk)
    return Listing(items=items, next_cursor=next_cursor)
