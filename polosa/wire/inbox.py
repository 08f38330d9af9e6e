"""The inbox query: filters, keyset pagination and what each row needs, in a fixed number of queries.

Rows are ordered by (available_at, id) descending and paged with a cursor on that pair, never OFFSET,
so the first and the hundredth page cost the same on 100,000 items; the partial indexes of `WireItem`
cover the order with and without an agency, section or urgency filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from polosa.search.analysis import parse_query

from .models import WireArticle, WireItem

PAGE_SIZE = 50


@dataclass
class Filters:
    agency: str = ""
    urgency: int | None = None  # at most this (1 is the most urgent)
    section: int | None = None
    words: str = ""
    state: str = ""  # "unseen", "used", "unused" or ""
    group: int | None = None

    @classmethod
    def from_query(cls, params) -> Filters:
        def number(name):
            try:
                value = int(params.get(name, ""))
            except (TypeError, ValueError):
                return None
            return value if value > 0 else None

        state = params.get("state", "")
        return cls(
            agency=params.get("agency", "")[:100],
            urgency=number("urgency"),
            section=number("section"),
            words=params.get("q", "")[:200],
            state=state if state in ("unseen", "used", "unused") else "",
            group=number("group"),
        )

    def as_query(self) -> dict:
        query = {
            "agency": self.agency,
            "urgency": self.urgency or "",
            "section": self.section or "",
            "q": self.words,
            "state": self.state,
            "group": self.group or "",
        }
        return {key: value for key, value in query.items() if value}


def encode_cursor(item: WireItem) -> str:
    return f"{item.available_at.isoformat()}_{item.pk}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    moment, _, pk = (value or "").rpartition("_")
    try:
        parsed = datetime.fromisoformat(moment)
        return (parsed if parsed.tzinfo else timezone.make_aware(parsed)), int(pk)
    except ValueError:
        return None


def filtered(filters: Filters, moment=None):
    qs = WireItem.objects.in_inbox(moment)
    if filters.agency:
        qs = qs.filter(agency=filters.agency)
    if filters.urgency:
        qs = qs.filter(urgency__lte=filters.urgency)
    if filters.section:
        qs = qs.filter(section_id=filters.section)
    if filters.group:
        qs = qs.filter(Q(group_id=filters.group) | Q(pk=filters.group))
    used = Exists(WireArticle.objects.filter(item=OuterRef("pk")))
    if filters.state == "unseen":
        qs = qs.filter(seen_at__isnull=True)
    elif filters.state == "used":
        qs = qs.filter(used)
    elif filters.state == "unused":
        qs = qs.exclude(used)
    if filters.words:
        query = parse_query(filters.words)
        if not query.terms:
            return qs.none()
        # Every word must occur, in any of its forms (the stems of its pymorphy3 lexeme).
        if connection.vendor == "postgresql":
            # The stored vector and its index of migration 0003. Stems are letters and digits only
            # (parse_query keeps nothing else), each quoted.
            tsquery = " & ".join(
                "(" + " | ".join(f"'{stem}'" for stem in sorted(term.stems)) + ")" for term in query.terms
            )
            qs = qs.extra(
                where=["wire_wireitem.search_tsv @@ to_tsquery('simple'::regconfig, %s)"],
                params=[tsquery],
            )
        else:
            for term in query.terms:
                any_form = Q()
                for stem in term.stems:
                    any_form |= Q(search_stems__contains=f" {stem} ")
                qs = qs.filter(any_form)
    return qs


@dataclass
class InboxPage:
    rows: list[WireItem]
    next_cursor: str = ""
    newest_cursor: str = ""
    filters: Filters = field(default_factory=Filters)


def page(
    filters: Filters, before: str = "", after: str = "", moment=None, size: int | None = None
) -> InboxPage:
    """One page of rows older than the `before` cursor, or every row newer than `after` (live updates)."""
    size = size or PAGE_SIZE
    # Sources and sections are few: fetched apart, they keep the page query to the item table alone.
    # Joined to the sources, the query let the planner pick a merge join on source_id that reads
    # every row whenever the sources' statistics were older than the newest source (a word in no
    # item: 65 ms instead of 2 ms through the full-text index).
    qs = filtered(filters, moment).prefetch_related("source", "section")
    if after and (cursor := decode_cursor(after)):
        moment_after, pk = cursor
        qs = qs.filter(Q(available_at__gt=moment_after) | Q(available_at=moment_after, pk__gt=pk))
    elif before and (cursor := decode_cursor(before)):
        moment_before, pk = cursor
        qs = qs.filter(Q(available_at__lt=moment_before) | Q(available_at=moment_before, pk__lt=pk))
    rows = list(qs.defer("body", "search_stems", "signature", "renditions")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    annotate(rows)
    return InboxPage(
        rows=rows,
        next_cursor=encode_cursor(rows[-1]) if more else "",
        newest_cursor=encode_cursor(rows[0]) if rows else after,
        filters=filters,
    )


def annotate(rows: list[WireItem]) -> None:
    """Give each row ``used`` (articles made from it) and ``similar`` (other items in its group)."""
    if not rows:
        return
    ids = [row.pk for row in rows]
    used = set(WireArticle.objects.filter(item_id__in=ids).values_list("item_id", flat=True))
    groups = {row.group_id for row in rows if row.group_id}
    sizes = {}
    if groups:
        sizes = dict(
            WireItem.objects.filter(Q(group_id__in=groups), withdrawn_at__isnull=True)
            .values("group_id")
            .annotate(n=Count("id"))
            .values_list("group_id", "n")
        )
    for row in rows:
        row.used = row.pk in used
        row.similar = max(sizes.get(row.group_id, 1) - 1, 0) if row.group_id else 0


def agencies() -> list[str]:
    from .models import Source

    return list(Source.objects.order_by("agency").values_list("agency", flat=True).distinct())
