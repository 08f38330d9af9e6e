"""A folder's files stored as one batch: the same outcome as one document at a time, in a fixed number
of queries however many items, new versions and kills the batch carries."""

import json

import pytest
from django.db import connection

from polosa.news.tests.factories import ArticlePageFactory
from polosa.wire import bulk, dedup
from polosa.wire.ingest import ingest_documents
from polosa.wire.models import DocumentStatus, RawDocument, WireArticle, WireBand, WireItem

from .conftest import sample_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WORDS = [
    *("порт", "причал", "грузооборот", "контейнер", "терминал", "навигация", "ледокол", "фарватер"),
    *("буксир", "танкер", "зерно", "уголь", "металл", "экспорт", "импорт", "таможня", "склад"),
    *("погрузка", "рейс", "судно"),
]


def ninjs(n: int, version: int = 1, status: str = "usable") -> tuple[bytes, str, str]:
    """A ninjs item of its own words (each n a different text), as a folder file."""
    words = [WORDS[(n * 7 + i * (version + 2)) % len(WORDS)] + str(n) for i in range(30)]
    document = {
        "uri": f"urn:test:batch:{n}",
        "version": str(version),
        "versioncreated": f"2026-12-03T1{version}:00:00Z",
        "pubstatus": status,
        "headline": f"Сообщение {n}, версия {version}",
        "body_html": f"<p>{' '.join(words)}.</p>",
    }
    return json.dumps(document, ensure_ascii=False).encode(), f"{n}-{version}.json", ""


def test_a_batch_of_new_versions_and_kills_takes_a_fixed_number_of_queries(
    source, section, django_assert_max_num_queries
):
    ingest_documents([ninjs(n) for n in range(30)], source=source, transport="folder")
    items = {item.guid: item for item in WireItem.objects.all()}
    for item in items.values():
        WireArticle.objects.create(
            item=item, page=ArticlePageFactory(parent=section, live=False), item_version=1
        )
    updates = [ninjs(n, version=2) for n in range(20)] + [ninjs(n, 3, "canceled") for n in range(20, 30)]
    # One statement for each kind of write, not four for each changed item (which was 120 here).
    with django_assert_max_num_queries(16):
        results = ingest_documents(updates, source=source, transport="folder")
    assert sum(r.updated for r in results) == 20
    assert sum(r.withdrawn for r in results) == 10
    assert WireItem.objects.filter(version=2, withdrawn_at__isnull=True).count() == 20
    assert WireItem.objects.filter(version=3, pub_status="canceled", withdrawn_at__isnull=False).count() == 10
    assert WireArticle.objects.filter(agency_updated_at__isnull=False, agency_withdrew_at=None).count() == 20
    assert WireArticle.objects.filter(agency_withdrew_at__isnull=False, agency_updated_at=None).count() == 10


def test_new_items_take_the_same_queries_for_ten_documents_as_for_a_hundred(
    source, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        ingest_documents([ninjs(n) for n in range(10)], source=source, transport="folder")
    with django_assert_max_num_queries(12):
        ingest_documents([ninjs(n) for n in range(10, 110)], source=source, transport="folder")
    assert WireItem.objects.count() == 110
    assert WireBand.objects.count() == 110 * dedup.BANDS


def test_an_update_and_then_a_kill_in_one_batch_end_as_they_would_one_by_one(source, section):
    ingest_documents([ninjs(1)], source=source, transport="folder")
    use = WireArticle.objects.create(
        item=WireItem.objects.get(), page=ArticlePageFactory(parent=section, live=False), item_version=1
    )
    results = ingest_documents([ninjs(1, 2), ninjs(1, 3, "canceled")], source=source, transport="folder")
    assert [(r.updated, r.withdrawn) for r in results] == [(1, 0), (0, 1)]
    item = WireItem.objects.get()
    assert (item.version, item.pub_status) == (3, "canceled")
    assert item.withdrawn_at is not None
    assert item.updated_at is not None
    use.refresh_from_db()
    assert use.agency_updated_at is not None
    assert use.agency_withdrew_at is not None


def _bands_match_the_text(item: WireItem) -> bool:
    stored = set(WireBand.objects.filter(item=item).values_list("value", flat=True))
    return stored == set(dedup.bands(dedup.decode(item.signature)))


def test_an_item_and_its_next_version_in_one_batch_are_one_row_with_the_bands_of_the_last(source):
    first, second = ninjs(5), ninjs(5, 2)
    results = ingest_documents([first, second], source=source, transport="folder")
    assert [(r.created, r.updated) for r in results] == [(1, 0), (0, 1)]
    item = WireItem.objects.get()
    assert item.version == 2
    # The two versions' texts differ, so their bands do: only the last one's may be stored.
    assert dedup.bands(dedup.signature(item.body)) != dedup.bands(
        dedup.signature(json.loads(first[0])["body_html"])
    )
    assert _bands_match_the_text(item)


def test_a_stored_item_updated_twice_in_one_batch_keeps_only_the_last_versions_bands(source):
    ingest_documents([ninjs(7)], source=source, transport="folder")
    ingest_documents([ninjs(7, 2), ninjs(7, 3)], source=source, transport="folder")
    item = WireItem.objects.get()
    assert item.version == 3
    assert WireBand.objects.filter(item=item).count() == dedup.BANDS
    assert _bands_match_the_text(item)


def test_refused_documents_of_a_batch_are_kept_and_the_good_ones_stored(source):
    documents = [
        ninjs(1),
        (sample_bytes("malformed.xml"), "bad-1.xml", ""),
        ninjs(2),
        (b"<html>", "bad-2", ""),
    ]
    results = ingest_documents(documents, source=source, transport="folder")
    assert [r.ok for r in results] == [True, False, True, False]
    refused = RawDocument.objects.filter(status=DocumentStatus.FAILED).order_by("pk")
    assert [d.name for d in refused] == ["bad-1.xml", "bad-2"]
    assert bytes(refused[0].content) == sample_bytes("malformed.xml")
    assert [r.document.pk for r in results if not r.ok] == [d.pk for d in refused]
    assert WireItem.objects.count() == 2


def test_bulk_insert_gives_every_row_its_id_and_every_value_its_type(source):
    """On PostgreSQL this is COPY with ids from the sequence; elsewhere bulk_create."""
    docs = bulk.insert(
        [
            RawDocument(source=source, transport="folder", name=f"d{i}", content=bytes([0, 255, i]))
            for i in range(3)
        ]
    )
    items = bulk.insert(
        [
            WireItem(
                source=source,
                agency=source.agency,
                guid=f"g{i}",
                headline="Заголовок с 'кавычками' и \\ чертой\tи табуляцией",
                subjects=[{"code": "medtop:1", "name": "Экономика"}],
                urgency=None,
                format="ninjs",
                fingerprint=str(i),
                document=docs[i],
            )
            for i in range(3)
        ]
    )
    assert all(item.pk and not item._state.adding for item in items)
    stored = WireItem.objects.get(pk=items[2].pk)
    assert stored.headline == "Заголовок с 'кавычками' и \\ чертой\tи табуляцией"
    assert stored.subjects == [{"code": "medtop:1", "name": "Экономика"}]
    assert stored.urgency is None
    assert stored.document_id == docs[2].pk
    assert bytes(RawDocument.objects.get(pk=docs[2].pk).content) == bytes([0, 255, 2])
    # The next row made the usual way does not collide with the ids handed out.
    later = WireItem.objects.create(source=source, agency=source.agency, guid="later", fingerprint="x")
    assert later.pk > max(item.pk for item in items)
    if connection.vendor == "postgresql":
        assert WireItem.objects.filter(pk=items[0].pk).extra(where=["search_tsv IS NOT NULL"]).exists()
