"""Storing documents: de-duplication, versions, kills, embargo, near-duplicates and refused documents."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from polosa.news.tests.factories import ArticlePageFactory
from polosa.wire.ingest import ingest_document
from polosa.wire.models import DocumentStatus, RawDocument, WireArticle, WireBand, WireItem

from .conftest import sample_bytes
from .factories import SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def ingest(source, name, transport="folder", **kwargs):
    return ingest_document(sample_bytes(name), source=source, transport=transport, name=name, **kwargs)


def test_a_news_message_stores_each_item_with_the_document_kept(source):
    result = ingest(source, "newsml_message.xml")
    assert result.ok
    assert result.created == 3
    items = WireItem.objects.filter(source=source)
    assert items.count() == 3
    document = RawDocument.objects.get()
    assert document.status == DocumentStatus.STORED
    assert document.item_count == 3
    assert bytes(document.content) == sample_bytes("newsml_message.xml")
    assert {item.document_id for item in items} == {document.pk}
    assert {item.section_id for item in items} == {source.default_section_id}
    assert all(item.search_stems.startswith(" ") for item in items)


def test_the_same_document_twice_is_stored_once(source):
    ingest(source, "newsml_newsitem.xml")
    result = ingest(source, "newsml_newsitem.xml")
    assert result.duplicates == 1
    assert result.created == 0
    assert WireItem.objects.count() == 1


def test_the_same_item_from_two_transports_of_one_agency_is_one_row(source):
    push = SourceFactory(agency=source.agency, kind="push")
    ingest(source, "ninjs1.json")
    result = ingest(push, "ninjs1.json", transport="push")
    assert result.duplicates == 1
    assert WireItem.objects.count() == 1


def test_a_resent_item_with_a_new_envelope_is_caught_by_its_fingerprint(source):
    ingest(source, "ninjs2.json")
    result = ingest(source, "ninjs2_resent.json")
    assert result.duplicates == 1
    assert WireItem.objects.count() == 1


def test_the_same_text_from_another_agency_is_not_dropped_but_grouped(source):
    other = SourceFactory(agency="Экспресс-Факт", slug="ef")
    ingest(source, "ninjs2.json")
    result = ingest(other, "ninjs2_resent.json")
    assert result.created == 1
    assert result.grouped == 1
    first, second = WireItem.objects.order_by("pk")
    assert first.group_id == first.pk
    assert second.group_id == first.pk


def test_near_duplicates_across_agencies_are_grouped(source):
    severnoe = SourceFactory(agency="Северное агентство новостей", slug="san")
    ingest(severnoe, "rss20.xml", transport="http")  # the port story, as the feed tells it
    ingest(source, "newsml_message.xml")  # the same story, reworded, in another agency's message
    port_feed = WireItem.objects.get(guid="san-port-118-rss")
    port_newsml = WireItem.objects.get(guid__endswith="port-118")
    assert port_newsml.group_id == port_feed.pk
    assert WireItem.objects.get(pk=port_feed.pk).group_id == port_feed.pk
    # Unrelated stories stay apart.
    assert WireItem.objects.get(guid__endswith="energy-044").group_id is None
    assert WireItem.objects.get(guid="san-les-2211").group_id is None


def test_a_new_version_updates_the_item_and_flags_articles_made_from_it(source, section):
    ingest(source, "newsml_newsitem.xml")
    item = WireItem.objects.get()
    article = ArticlePageFactory(parent=section, live=False)
    use = WireArticle.objects.create(item=item, page=article, item_version=1)
    result = ingest(source, "newsml_newsitem_v2.xml")
    assert result.updated == 1
    item.refresh_from_db()
    assert item.version == 2
    assert item.headline.endswith("ухудшил прогноз")
    assert "Прогноз роста экономики снижен" in item.body
    assert item.updated_at is not None
    use.refresh_from_db()
    assert use.agency_updated_at is not None
    assert use.agency_withdrew_at is None
    assert WireItem.objects.count() == 1


def test_an_older_version_arriving_late_changes_nothing(source):
    ingest(source, "newsml_newsitem_v2.xml")
    result = ingest(source, "newsml_newsitem.xml")
    assert result.duplicates == 1
    assert WireItem.objects.get().version == 2


def test_a_kill_withdraws_the_item_from_the_inbox_and_warns_its_articles(source, section):
    ingest(source, "newsml_newsitem.xml")
    item = WireItem.objects.get()
    assert list(WireItem.objects.in_inbox()) == [item]
    article = ArticlePageFactory(parent=section, live=False)
    use = WireArticle.objects.create(item=item, page=article, item_version=1)
    result = ingest(source, "newsml_kill.xml")
    assert result.withdrawn == 1
    item.refresh_from_db()
    assert item.pub_status == "canceled"
    assert item.withdrawn_at is not None
    assert list(WireItem.objects.in_inbox()) == []
    use.refresh_from_db()
    assert use.agency_withdrew_at is not None
    # A stale copy of the killed item does not bring it back.
    ingest(source, "newsml_newsitem_v2.xml")
    assert list(WireItem.objects.in_inbox()) == []


def test_ninjs_canceled_withdraws(source):
    ingest(source, "ninjs1.json")
    ingest(source, "ninjs_canceled.json")
    assert WireItem.objects.in_inbox().count() == 0


def test_a_kill_of_an_unknown_item_is_kept_withdrawn_so_a_late_copy_stays_out(source):
    ingest(source, "newsml_kill.xml")
    assert WireItem.objects.get().withdrawn_at is not None
    result = ingest(source, "newsml_newsitem.xml")
    assert result.duplicates == 1
    assert WireItem.objects.in_inbox().count() == 0


def test_an_embargoed_item_is_held_until_the_embargo_ends(source):
    ingest(source, "newsml_embargo.xml")
    item = WireItem.objects.get()
    ends = datetime(2030, 1, 15, 16, 0, tzinfo=UTC)
    assert item.available_at == ends
    assert WireItem.objects.in_inbox().count() == 0
    assert WireItem.objects.held().count() == 1
    assert WireItem.objects.in_inbox(ends - timedelta(seconds=1)).count() == 0
    assert list(WireItem.objects.in_inbox(ends)) == [item]


def test_items_are_in_the_inbox_newest_first(source):
    now = timezone.now()
    ingest(source, "rss091.xml", moment=now - timedelta(minutes=5))
    ingest(source, "ninjs1.json", moment=now)
    heads = [item.headline for item in WireItem.objects.in_inbox()]
    assert heads[0].startswith("Минфин")


BAD = {
    "malformed": sample_bytes("malformed.xml"),
    "bomb": sample_bytes("bomb.xml"),
    "truncated": sample_bytes("newsml_newsitem_v2.xml")[:900],
    "html": sample_bytes("error_page.html"),
    "cp1251-undeclared": (
        "<rss><channel><item><title>Новость</title><guid>x</guid></item></channel></rss>"
    ).encode("cp1251"),
    "koi8-undeclared": (
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" '
        'guid="urn:newsml:vestnik-inform.example:20261203:econ-0412" version="9">'
        "<contentMeta><headline>Подмена</headline></contentMeta></newsItem>"
    ).encode("koi8-r"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_document_is_kept_logged_and_changes_nothing(source, kind, caplog):
    ingest(source, "newsml_newsitem.xml")
    before = list(WireItem.objects.values())
    bands = WireBand.objects.count()
    with caplog.at_level(logging.ERROR, logger="polosa.wire"):
        result = ingest_document(BAD[kind], source=source, transport="folder", name=f"{kind}.xml")
    assert not result.ok
    assert result.error
    assert list(WireItem.objects.values()) == before
    assert WireBand.objects.count() == bands
    refused = RawDocument.objects.get(status=DocumentStatus.FAILED)
    assert bytes(refused.content) == BAD[kind]
    assert refused.error == result.error
    assert any(
        f"{kind}.xml" in r.getMessage() and "refused, nothing stored" in r.getMessage()
        for r in caplog.records
    )


def test_refusal_reasons_say_what_was_wrong(source):
    reasons = {
        kind: ingest_document(content, source=source, transport="folder").error
        for kind, content in BAD.items()
    }
    assert "malformed XML" in reasons["malformed"]
    assert "bomb" in reasons["bomb"]
    assert "truncated" in reasons["truncated"]
    assert "HTML page" in reasons["html"]
    assert "declares no encoding" in reasons["cp1251-undeclared"]
    assert "declares no encoding" in reasons["koi8-undeclared"]
