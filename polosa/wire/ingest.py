"""Storing one agency document: de-duplication, versions, kills, embargoes and near-duplicate groups.

Every transport (feed polling, the watched folder, the push endpoint, the management command and the
benchmark) hands its bytes to `ingest_document`, so every document is checked and stored the same way.
A refused document is kept (``RawDocument`` with status "failed" and the reason) and changes nothing
else; a stored one is kept for audit next to the items it carried. All of a document's items are
stored in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from polosa.search.analysis import stems_text

from . import dedup, parsing
from .models import DocumentStatus, PubStatus, RawDocument, Source, WireArticle, WireBand, WireItem

logger = logging.getLogger("polosa.wire")

# Near-duplicates are looked for among items of the last two days.
GROUP_WINDOW = timedelta(hours=48)
MAX_CANDIDATES = 50


@dataclass
class IngestResult:
    document: RawDocument
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    duplicates: int = 0
    grouped: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def items(self) -> int:
        return self.created + self.updated + self.withdrawn + self.duplicates


def refuse(
    source: Source | None,
    content: bytes,
    reason: str,
    *,
    transport: str,
    name: str = "",
    content_type: str = "",
) -> RawDocument:
    """Keep a refused document for inspection and log why; nothing else is touched."""
    document = RawDocument.objects.create(
        source=source,
        transport=transport,
        name=name[:1000],
        content_type=content_type[:200],
        content=content,
        status=DocumentStatus.FAILED,
        error=reason,
    )
    logger.error(
        "wire: %s document %r from %s refused, nothing stored (kept as document %s): %s",
        transport,
        name,
        source.name if source else "?",
        document.pk,
        reason,
    )
    return document


def ingest_document(
    content: bytes,
    *,
    source: Source,
    transport: str,
    name: str = "",
    content_type: str = "",
    moment=None,
) -> IngestResult:
    """Parse and store one document; a refused one is kept and reported in ``result.error``."""
    moment = moment or timezone.now()
    try:
        parsed = parsing.parse(content, content_type)
    except parsing.DocumentError as error:
        reason = str(error)
        return IngestResult(
            refuse(source, content, reason, transport=transport, name=name, content_type=content_type),
            error=reason,
        )

    with transaction.atomic():
        document = RawDocument.objects.create(
            source=source,
            transport=transport,
            name=name[:1000],
            content_type=content_type[:200],
            content=content,
            status=DocumentStatus.STORED,
            item_count=len(parsed),
            received_at=moment,
        )
        result = IngestResult(document)
        _Batch(source, document, moment, result).store(parsed)
    logger.info(
        "wire: %s document %r from %s: %s new, %s updated, %s withdrawn, %s duplicates",
        transport,
        name,
        source.name,
        result.created,
        result.updated,
        result.withdrawn,
        result.duplicates,
    )
    return result


class _Batch:
    def __init__(self, source: Source, document: RawDocument, moment, result: IngestResult):
        self.source = source
        self.agency = source.agency
        self.document = document
        self.moment = moment
        self.result = result
        self.bands: list[WireBand] = []

    def store(self, parsed: list[parsing.ParsedItem]) -> None:
        guids = {p.guid[:500] for p in parsed}
        self.existing = {
            item.guid: item for item in WireItem.objects.filter(agency=self.agency, guid__in=guids)
        }
        for item in parsed:
            self.store_one(item)
        if self.bands:
            WireBand.objects.bulk_create(self.bands)

    def store_one(self, parsed: parsing.ParsedItem) -> None:
        guid = parsed.guid[:500]
        text = parsed.text
        fingerprint = dedup.fingerprint(text)
        item = self.existing.get(guid)
        if item is not None:
            if not _is_newer(parsed, item):
                self.result.duplicates += 1
                return
            self.update(item, parsed, fingerprint, text)
            return
        usable = parsed.pub_status == PubStatus.USABLE
        if usable and WireItem.objects.filter(agency=self.agency, fingerprint=fingerprint).exists():
            # The same text under another guid: the agency re-sent it with a new envelope.
            self.result.duplicates += 1
            return
        item = WireItem(source=self.source, agency=self.agency, guid=guid, received_at=self.moment)
        self.fill(item, parsed, fingerprint, text)
        item.section_id = self.source.default_section_id
        if not usable:
            # A kill of an item we never had is kept, withdrawn, so that a late copy stays out too.
            item.withdrawn_at = self.moment
            self.result.withdrawn += 1
        else:
            self.result.created += 1
        sig = dedup.signature(text)
        item.signature = dedup.encode(sig)
        item.group_id = self.group_for(sig) if usable else None
        item.save()
        self.existing[guid] = item
        self.add_bands(item, sig)

    def fill(self, item: WireItem, parsed: parsing.ParsedItem, fingerprint: str, text: str) -> None:
        item.version = parsed.version
        item.headline = parsed.headline[:1000]
        item.lead = parsed.lead
        item.body = parsed.body
        item.subjects = parsed.subjects
        item.places = parsed.places
        item.renditions = parsed.renditions
        item.urgency = parsed.urgency
        item.embargo_until = parsed.embargo_until
        item.pub_status = parsed.pub_status
        item.link = parsed.link[:1000]
        item.language = parsed.language[:20]
        item.format = parsed.format[:20]
        item.sent_at = parsed.sent_at
        item.fingerprint = fingerprint
        item.search_stems = f" {stems_text(text)} "
        item.document = self.document
        received = item.received_at or self.moment
        item.available_at = max(received, parsed.embargo_until) if parsed.embargo_until else received

    def update(self, item: WireItem, parsed: parsing.ParsedItem, fingerprint: str, text: str) -> None:
        was_withheld = item.pub_status == PubStatus.WITHHELD
        self.fill(item, parsed, fingerprint, text)
        item.updated_at = self.moment
        uses = WireArticle.objects.filter(item=item)
        if parsed.pub_status != PubStatus.USABLE:
            item.withdrawn_at = item.withdrawn_at or self.moment
            uses.filter(agency_withdrew_at__isnull=True).update(agency_withdrew_at=self.moment)
            self.result.withdrawn += 1
            logger.warning("wire: %s withdrew %s (%s)", self.agency, item.guid, parsed.pub_status)
        else:
            if was_withheld:
                item.withdrawn_at = None
            uses.update(agency_updated_at=self.moment)
            self.result.updated += 1
        sig = dedup.signature(text)
        item.signature = dedup.encode(sig)
        item.save()
        WireBand.objects.filter(item=item).delete()
        self.add_bands(item, sig)

    def add_bands(self, item: WireItem, sig: list[int]) -> None:
        self.bands.extend(WireBand(item=item, value=value) for value in dedup.bands(sig))

    def group_for(self, sig: list[int]) -> int | None:
        """The group of the most similar recent item of another agency, if one is similar enough."""
        if not sig:
            return None
        candidates = (
            WireBand.objects.filter(
                value__in=dedup.bands(sig), item__received_at__gte=self.moment - GROUP_WINDOW
            )
            .exclude(item__agency=self.agency)
            .values_list("item_id", "item__signature", "item__group_id")
            .distinct()[:MAX_CANDIDATES]
        )
        best, best_score = None, dedup.SIMILAR
        for item_id, signature, group_id in candidates:
            score = dedup.similarity(sig, dedup.decode(signature))
            if score >= best_score:
                best, best_score = (item_id, group_id), score
        if best is None:
            return None
        item_id, group_id = best
        if group_id is None:
            WireItem.objects.filter(pk=item_id).update(group_id=item_id)
            group_id = item_id
        self.result.grouped += 1
        return group_id


def _is_newer(parsed: parsing.ParsedItem, item: WireItem) -> bool:
    if parsed.version != item.version:
        return parsed.version > item.version
    if parsed.pub_status == PubStatus.CANCELED and item.pub_status != PubStatus.CANCELED:
        return True  # a kill re-using the version number still kills
    return bool(parsed.sent_at and item.sent_at and parsed.sent_at > item.sent_at)


# --- What transports record on the source -------------------------------------------------------

MAX_BACKOFF = timedelta(hours=1)


def record_success(source: Source, moment=None) -> None:
    moment = moment or timezone.now()
    Source.objects.filter(pk=source.pk).update(
        last_attempt_at=moment, last_success_at=moment, failures=0, next_attempt_at=None
    )
    source.last_attempt_at = source.last_success_at = moment
    source.failures = 0
    source.next_attempt_at = None


def record_failure(source: Source, reason: str, moment=None, back_off: bool = True) -> None:
    """Note the error; with `back_off` the source is tried again after a delay that doubles each time."""
    moment = moment or timezone.now()
    failures = source.failures + 1 if back_off else source.failures
    delay = min(timedelta(seconds=max(source.poll_interval, 30)) * (2 ** min(failures, 10)), MAX_BACKOFF)
    next_attempt = moment + delay if back_off else source.next_attempt_at
    Source.objects.filter(pk=source.pk).update(
        last_attempt_at=moment,
        last_error=reason[:2000],
        last_error_at=moment,
        failures=failures,
        next_attempt_at=next_attempt,
    )
    source.last_attempt_at = source.last_error_at = moment
    source.last_error = reason[:2000]
    source.failures = failures
    source.next_attempt_at = next_attempt
    if back_off:
        logger.warning(
            "wire: %s failed %s time(s) in a row; next attempt at %s", source.name, failures, next_attempt
        )


def items_today(source: Source) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return WireItem.objects.filter(Q(source=source) & Q(received_at__gte=start)).count()
