"""Impressions and clicks per promo per day: atomic increments, nothing about the reader stored."""

from __future__ import annotations

import logging
import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import EventPromo, ItemKind, PartnerArticlePage, PromoDay, SpecialProjectPage

logger = logging.getLogger(__name__)

IMPRESSIONS = "impressions"
CLICKS = "clicks"
MAX_ITEMS = 20  # one beacon names at most this many promos (a page shows a handful)
ITEM_RE = re.compile(r"^(article|project|event):([0-9]{1,18})$")


def parse_items(raw: str) -> list[tuple[str, int]]:
    """``"event:3,article:12"`` → [("event", 3), ("article", 12)]; malformed names are dropped."""
    found = []
    for part in (raw or "").split(",")[: MAX_ITEMS * 2]:
        match = ITEM_RE.match(part.strip())
        if match:
            item = (match.group(1), int(match.group(2)))
            if item not in found:
                found.append(item)
    return found[:MAX_ITEMS]


def live_ids(kind: str, ids: list[int]) -> set[int]:
    """Which of `ids` are promos of `kind` readers may see now: counts never invent items."""
    if kind == ItemKind.EVENT:
        qs = EventPromo.objects.filter(live=True)
    elif kind == ItemKind.PROJECT:
        qs = SpecialProjectPage.objects.live()
    elif kind == ItemKind.ARTICLE:
        qs = PartnerArticlePage.objects.live()
    else:
        return set()
    return set(qs.filter(pk__in=ids).values_list("pk", flat=True))


def known_items(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    by_kind: dict[str, list[int]] = {}
    for kind, pk in items:
        by_kind.setdefault(kind, []).append(pk)
    known = {kind: live_ids(kind, ids) for kind, ids in by_kind.items()}
    return [(kind, pk) for kind, pk in items if pk in known[kind]]


def add(kind: str, object_id: int, field: str, day: date | None = None) -> None:
    """Add one to `field` of the item's row for `day`, safely when many requests count at once."""
    day = day or timezone.localdate()
    rows = PromoDay.objects.filter(kind=kind, object_id=object_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            PromoDay.objects.create(kind=kind, object_id=object_id, day=day, **{field: 1})
    except IntegrityError:
        # Another request created the row between our update and insert: add to it instead.
        rows.update(**{field: F(field) + 1})


def count_impressions(items: list[tuple[str, int]]) -> int:
    counted = 0
    for kind, pk in known_items(items):
        add(kind, pk, IMPRESSIONS)
        counted += 1
    return counted


def count_click(kind: str, object_id: int) -> None:
    add(kind, object_id, CLICKS)
