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
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from polosa.search.analysis import STOPWORDS, WORD_RE, normalize_word, stem

from . import bulk, dedup, parsing
from .models import DocumentStatus, PubStatus, RawDocument, Source, WireArticle, WireBand, WireItem

logger = logging.getLogger("polosa.wire")

# `analysis.words` and `analysis.stems_text` word by word, with each distinct word worked out once:
# a batch of a few hundred items repeats most of its words, and one call per word of the text was a
# quarter of the ingest's own time. Same results, by construction.
_normalized = lru_cache(maxsize=200_000)(normalize_word)


@lru_cache(maxsize=200_000)
def _kept_stem(word: str) -> str:
    return "" if word in STOPWORDS else stem(word)


def _words(text: str) -> list[str]:
    return list(map(_normalized, WORD_RE.findall(text or "")))


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


def _refused_document(source, content, reason, *, transport, name="", content_type="") -> RawDocument:
    return RawDocument(
        source=source,
        transport=transport,
        name=name[:1000],
        content_type=content_type[:200],
        content=content,
        status=DocumentStatus.FAILED,
        error=reason,
    )


def _log_refused(document: RawDocument, source: Source | None) -> None:
    logger.error(
        "wire: %s document %r from %s refused, nothing stored (kept as document %s): %s",
        document.transport,
        document.name,
        source.name if source else "?",
        document.pk,
        document.error,
    )


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
    document = _refused_document(
        source, content, reason, transport=transport, name=name, content_type=content_type
    )
    document.save()
    _log_refused(document, source)
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
    return ingest_documents(
        [(content, name, content_type)], source=source, transport=transport, moment=moment
    )[0]


def ingest_documents(documents, *, source: Source, transport: str, moment=None) -> list[IngestResult]:
    """Parse and store several documents of one source, given as ``(content, name, content_type)``.

    Each document is parsed on its own, and a refused one is kept and changes nothing; the accepted
    ones are stored together in one transaction with a fixed number of queries for the whole batch,
    however many items it carries and however many of them are new versions or kills (`_Batch`).
    """
    moment = moment or timezone.now()
    results: list[IngestResult | None] = [None] * len(documents)
    accepted, refused = [], []
    for index, (content, name, content_type) in enumerate(documents):
        try:
            parsed = parsing.parse(content, content_type)
        except parsing.DocumentError as error:
            document = _refused_document(
                source, content, str(error), transport=transport, name=name, content_type=content_type
            )
            refused.append(document)
            results[index] = IngestResult(document, error=document.error)
            continue
        accepted.append((index, content, name, content_type, parsed))
    if refused:
        # Kept before the batch is stored, and apart from it: a refused file stays on record even if
        # storing the others fails.
        bulk.insert(refused)
        for document in refused:
            _log_refused(document, source)
    if accepted:
        with transaction.atomic():
            stored = bulk.insert(
                [
                    RawDocument(
                        source=source,
                        transport=transport,
                        name=name[:1000],
                        content_type=content_type[:200],
                        content=content,
                        status=DocumentStatus.STORED,
                        item_count=len(parsed),
                        received_at=moment,
                    )
                    for _index, content, name, content_type, parsed in accepted
                ]
            )
            batch = _Batch(source, moment)
            for (index, _content, _name, _ct, parsed), document in zip(accepted, stored, strict=True):
                results[index] = IngestResult(document)
                batch.add(document, parsed, results[index])
            batch.flush()
    totals = {
        key: sum(getattr(r, key) for r in results if r)
        for key in ("created", "updated", "withdrawn", "duplicates")
    }
    logger.info(
        "wire: %s %s document(s) from %s (%s refused): %s new, %s updated, %s withdrawn, %s duplicates",
        len(documents),
        transport,
        source.name,
        len(refused),
        totals["created"],
        totals["updated"],
        totals["withdrawn"],
        totals["duplicates"],
    )
    return results


@dataclass
class _Prepared:
    parsed: parsing.ParsedItem
    document: RawDocument
    result: IngestResult
    guid: str
    fingerprint: str
    stems: str
    signature: list[int]
    bands: list[int]


# What a newer version rewrites on a stored item (not its section, group or "seen", which are ours).
_UPDATED_FIELDS = [
    "version",
    "headline",
    "lead",
    "body",
    "subjects",
    "places",
    "renditions",
    "urgency",
    "embargo_until",
    "pub_status",
    "link",
    "language",
    "format",
    "sent_at",
    "fingerprint",
    "signature",
    "search_stems",
    "document",
    "available_at",
    "updated_at",
    "withdrawn_at",
]


class _Batch:
    """Accepted documents of one source, stored with a fixed number of queries.

    Items are decided one by one in delivery order, in memory (so a kill after an update, or a
    second version after the first, in the same batch end the way they would one document at a
    time), and then written together: the new rows in one COPY, the changed ones in one UPDATE,
    the flags on articles made from them in two, their similarity bands replaced in two.
    """

    def __init__(self, source: Source, moment):
        self.source = source
        self.agency = source.agency
        self.moment = moment
        self.pending: list[_Prepared] = []

    def add(self, document: RawDocument, parsed: list[parsing.ParsedItem], result: IngestResult) -> None:
        for item in parsed:
            # The words once for both the fingerprint and the stems (`stems_text`, word by word).
            text_words = _words(item.text)
            stems = " ".join(filter(None, map(_kept_stem, text_words)))
            signature = dedup.signature(stems=set(stems.split()[: dedup.MAX_WORDS]))
            self.pending.append(
                _Prepared(
                    parsed=item,
                    document=document,
                    result=result,
                    guid=item.guid[:500],
                    fingerprint=dedup.fingerprint(text_words=text_words),
                    stems=stems,
                    signature=signature,
                    bands=dedup.bands(signature),
                )
            )

    def flush(self) -> None:
        guids = {p.guid for p in self.pending}
        existing = {item.guid: item for item in WireItem.objects.filter(agency=self.agency, guid__in=guids)}
        fingerprints = {p.fingerprint for p in self.pending}
        known = set(
            WireItem.objects.filter(agency=self.agency, fingerprint__in=fingerprints).values_list(
                "fingerprint", flat=True
            )
        )
        self.candidates = self._candidates()
        created: list[WireItem] = []
        self.leaders: set[int] = set()
        # Stored items changed by the batch, and which of them were updated or withdrawn.
        self.changed: dict[int, WireItem] = {}
        self.updated_ids: set[int] = set()
        self.withdrawn_ids: set[int] = set()
        # Each written item's similarity bands as it ends the batch (by the instance: new ones have no
        # pk yet).
        self.bands: dict[int, list[int]] = {}
        for prepared in self.pending:
            item = existing.get(prepared.guid)
            if item is not None:
                if not _is_newer(prepared.parsed, item):
                    prepared.result.duplicates += 1
                elif item.pk is None:
                    # Created earlier in this very batch: the newer version simply replaces it.
                    self._fill(item, prepared)
                    item.withdrawn_at = (
                        self.moment if prepared.parsed.pub_status != PubStatus.USABLE else None
                    )
                    prepared.result.updated += 1
                else:
                    self._update(item, prepared)
                continue
            usable = prepared.parsed.pub_status == PubStatus.USABLE
            if usable and prepared.fingerprint in known:
                # The same text under another guid: the agency re-sent it with a new envelope.
                prepared.result.duplicates += 1
                continue
            item = WireItem(
                source=self.source, agency=self.agency, guid=prepared.guid, received_at=self.moment
            )
            self._fill(item, prepared)
            item.section_id = self.source.default_section_id
            if usable:
                item.group_id = self._group_for(prepared)
                prepared.result.created += 1
            else:
                # A kill of an item we never had is kept, withdrawn, so that a late copy stays out too.
                item.withdrawn_at = self.moment
                prepared.result.withdrawn += 1
            existing[prepared.guid] = item
            known.add(prepared.fingerprint)
            created.append(item)
        bulk.insert(created)
        if self.changed:
            self._write_changes()
        if self.leaders:
            WireItem.objects.filter(pk__in=self.leaders, group__isnull=True).update(group_id=F("pk"))
        written = [*created, *self.changed.values()]
        rows = [(item.pk, value) for item in written for value in self.bands[id(item)]]
        bulk.insert_rows(WireBand._meta.db_table, ["item_id", "value"], rows)

    def _write_changes(self) -> None:
        changed = list(self.changed.values())
        WireItem.objects.bulk_update(changed, _UPDATED_FIELDS, batch_size=200)
        uses = WireArticle.objects
        if self.withdrawn_ids:
            uses.filter(item_id__in=self.withdrawn_ids, agency_withdrew_at__isnull=True).update(
                agency_withdrew_at=self.moment
            )
        if self.updated_ids:
            uses.filter(item_id__in=self.updated_ids).update(agency_updated_at=self.moment)
        # Their bands are written again from the new text with the new items'. Nothing points at a
        # band, so one DELETE (``delete()`` would first read every band, as receivers of
        # pre_delete/post_delete for every model exist).
        WireBand.objects.filter(item_id__in=list(self.changed))._raw_delete(connection.alias)

    def _fill(self, item: WireItem, prepared: _Prepared) -> None:
        parsed = prepared.parsed
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
        item.fingerprint = prepared.fingerprint
        item.signature = dedup.encode(prepared.signature)
        item.search_stems = f" {prepared.stems} "
        item.document = prepared.document
        received = item.received_at or self.moment
        item.available_at = max(received, parsed.embargo_until) if parsed.embargo_until else received
        self.bands[id(item)] = prepared.bands

    def _update(self, item: WireItem, prepared: _Prepared) -> None:
        """A newer version of a stored item, applied in memory; `_write_changes` stores it."""
        was_withheld = item.pub_status == PubStatus.WITHHELD
        self._fill(item, prepared)
        item.updated_at = self.moment
        if prepared.parsed.pub_status != PubStatus.USABLE:
            item.withdrawn_at = item.withdrawn_at or self.moment
            self.withdrawn_ids.add(item.pk)
            prepared.result.withdrawn += 1
            logger.warning("wire: %s withdrew %s (%s)", self.agency, item.guid, prepared.parsed.pub_status)
        else:
            if was_withheld:
                item.withdrawn_at = None
            self.updated_ids.add(item.pk)
            prepared.result.updated += 1
        self.changed[item.pk] = item

    def _candidates(self) -> dict[int, list[tuple[int, str, int | None]]]:
        """Recent items of other agencies sharing a band with any item of the batch, by band value."""
        values = list({value for p in self.pending for value in p.bands})
        found: dict[int, list[tuple[int, str, int | None]]] = {}
        if not values:
            return found
        recent = (
            WireBand.objects.filter(item__received_at__gte=self.moment - GROUP_WINDOW)
            .exclude(item__agency=self.agency)
            .values_list("value", "item_id", "item__signature", "item__group_id")
        )
        if connection.vendor == "postgresql":
            # The batch's few thousand values as one array parameter: as an IN list of as many
            # placeholders, quoting and parsing them cost more than the lookup itself.
            array = "{" + ",".join(map(str, values)) + "}"
            chunks = [recent.extra(where=['"wire_wireband"."value" = ANY(%s::bigint[])'], params=[array])]
        else:  # SQLite takes at most so many parameters in a query
            chunks = (recent.filter(value__in=values[i : i + 5000]) for i in range(0, len(values), 5000))
        for rows in chunks:
            for value, item_id, signature, group_id in rows:
                found.setdefault(value, []).append((item_id, signature, group_id))
        return found

    def _group_for(self, prepared: _Prepared) -> int | None:
        """The group of the most similar recent item of another agency, if one is similar enough."""
        sig = prepared.signature
        if not sig:
            return None
        seen, best, best_score = set(), None, dedup.SIMILAR
        for value in prepared.bands:
            for item_id, signature, group_id in self.candidates.get(value, ())[:MAX_CANDIDATES]:
                if item_id in seen:
                    continue
                seen.add(item_id)
                score = dedup.similarity(sig, dedup.decode(signature))
                if score >= best_score:
                    best, best_score = (item_id, group_id), score
        if best is None:
            return None
        item_id, group_id = best
        if group_id is None:
            self.leaders.add(item_id)
            group_id = item_id
        prepared.result.grouped += 1
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
