"""Each format and version on documents shaped like the public specifications, and every bad input."""

from datetime import UTC, datetime

import pytest

from polosa.wire import parsing
from polosa.wire.parsing import DocumentError, parse

from .conftest import sample_bytes

pytestmark = pytest.mark.usefixtures("english")


def test_newsml_news_item_reads_guid_version_meta_and_cleans_the_body():
    (item,) = parse(sample_bytes("newsml_newsitem.xml"))
    assert item.format == "newsml-g2"
    assert item.guid == "urn:newsml:vestnik-inform.example:20261203:econ-0412"
    assert item.version == 1
    assert item.headline.startswith("Совет директоров Центробанка сохранил")
    assert item.lead.startswith("Регулятор третье заседание")
    assert item.urgency == 3
    assert item.pub_status == "usable"
    assert item.sent_at == datetime(2026, 12, 3, 11, 5, tzinfo=UTC)
    assert {"code": "medtop:20000344", "name": "Экономика"} in item.subjects
    assert item.places == [{"code": "geo:524901", "name": "Москва"}]
    assert item.renditions[0]["href"] == "https://media.vestnik-inform.example/photos/0412-hi.jpg"
    assert item.link == "https://vestnik-inform.example/news/econ-0412"
    assert item.language == "ru"
    # Paragraphs kept; the script and the event handler are gone (nh3).
    assert item.body.count("<p>") == 3
    assert "script" not in item.body
    assert "onclick" not in item.body
    assert "alert" not in item.body
    assert "xhtml" not in item.body


def test_newsml_cancel_is_read_as_a_kill():
    (item,) = parse(sample_bytes("newsml_kill.xml"))
    assert item.pub_status == "canceled"
    assert item.version == 3


def test_newsml_embargo_is_read():
    (item,) = parse(sample_bytes("newsml_embargo.xml"))
    assert item.embargo_until == datetime(2030, 1, 15, 16, 0, tzinfo=UTC)
    assert item.urgency == 2


def test_newsml_package_item_lists_its_members_by_reference():
    (item,) = parse(sample_bytes("newsml_package.xml"))
    assert item.version == 4
    refs = [r for r in item.renditions if r["role"] == "itemRef"]
    assert [r["type"] for r in refs] == ["ninat:text", "ninat:picture", "ninat:picture"]
    assert refs[1]["href"] == "https://media.vestnik-inform.example/photos/7781.jpg"
    assert refs[1]["title"] == "Комбайн на поле под Троицком"
    assert item.places[0]["name"] == "Челябинская область"


def test_newsml_news_message_yields_every_item():
    items = parse(sample_bytes("newsml_message.xml"))
    assert [i.guid.rsplit(":", 1)[1] for i in items] == ["port-118", "photo-5520", "energy-044"]
    port, photo, energy = items
    assert "<p>" in port.body
    assert [r["role"] for r in photo.renditions] == ["rnd:thumbnail", "rnd:highRes"]
    assert energy.urgency == 1
    assert energy.version == 2
    # Plain-text inlineData becomes paragraphs.
    assert energy.body.count("<p>") == 2


def test_ninjs_1_headline_body_html_and_associations():
    (item,) = parse(sample_bytes("ninjs1.json"))
    assert item.format == "ninjs-1"
    assert item.headline.startswith("Минфин разместил облигации")
    assert item.lead == "Спрос на бумаги превысил предложение почти вдвое."
    assert item.urgency == 2
    assert "iframe" not in item.body
    assert item.body.count("<p>") == 2
    assert item.subjects[0] == {"code": "medtop:20000385", "name": "Государственный долг"}
    pictures = [r for r in item.renditions if r["type"] == "image/jpeg"]
    assert pictures[0]["href"] == "https://media.ekspressfakt.example/3310-view.jpg"
    assert pictures[0]["title"] == "Здание министерства финансов"
    assert item.sent_at == datetime(2026, 12, 3, 11, 20, tzinfo=UTC)


def test_ninjs_2_headlines_and_bodies_pick_the_main_role():
    (item,) = parse(sample_bytes("ninjs2.json"))
    assert item.format == "ninjs-2"
    assert item.headline == "Экспорт российской пшеницы в ноябре вырос на 12% к прошлому году"
    assert item.lead.startswith("Основными покупателями")
    assert item.version == 3
    assert item.places[0]["name"] == "Новороссийск"
    assert item.link == "https://ekspressfakt.example/news/000802"
    assert item.sent_at == datetime(2026, 12, 3, 9, 5, tzinfo=UTC)


def test_ninjs_canceled():
    (item,) = parse(sample_bytes("ninjs_canceled.json"))
    assert item.pub_status == "canceled"


@pytest.mark.parametrize(
    ("name", "version", "count"),
    [
        ("rss091.xml", "rss091u", 2),
        ("rss10.xml", "rss10", 1),
        ("rss20.xml", "rss20", 2),
        ("atom.xml", "atom10", 1),
    ],
)
def test_feeds_of_every_version(name, version, count):
    items = parse(sample_bytes(name))
    assert len(items) == count
    assert {i.format for i in items} == {version}
    assert all(i.headline and i.guid and i.body.startswith("<p>") for i in items)


def test_rss_2_guid_dates_enclosures_and_markup():
    first, second = parse(sample_bytes("rss20.xml"))
    assert first.guid == "san-les-2211"
    assert first.sent_at == datetime(2026, 12, 3, 11, 35, tzinfo=UTC)
    assert "<b>льготные кредиты</b>" in first.body
    assert first.renditions[0]["href"].endswith("les-2211.jpg")
    assert second.renditions[0]["role"] == "media"


def test_rss_1_dublin_core_date_and_subject():
    (item,) = parse(sample_bytes("rss10.xml"))
    assert item.sent_at == datetime(2026, 12, 3, 4, 30, tzinfo=UTC)
    assert item.subjects == [{"code": "", "name": "Промышленность"}]


def test_atom_later_updated_is_a_higher_version():
    (first,) = parse(sample_bytes("atom.xml"))
    later = sample_bytes("atom.xml").replace(
        b"<updated>2026-12-03T11:05:00Z</updated>", b"<updated>2026-12-03T11:45:00Z</updated>"
    )
    (second,) = parse(later)
    assert second.guid == first.guid
    assert second.version > first.version


# --- Encodings -------------------------------------------------------------------------------

RSS_TEMPLATE = """<rss version="2.0"><channel><title>Лента</title><item>
<title>Курс рубля укрепился к юаню</title><guid>enc-1</guid>
<description>Торги на бирже завершились ростом.</description></item></channel></rss>"""
NEWSML_TEMPLATE = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:enc-2" version="1">
<itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:usable"/></itemMeta>
<contentMeta><headline>Ледокол вышел в первый рейс по Северному морскому пути</headline></contentMeta>
</newsItem>"""


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("template", [RSS_TEMPLATE, NEWSML_TEMPLATE], ids=["rss", "newsml"])
def test_declared_single_byte_cyrillic_is_decoded(encoding, template):
    document = f'<?xml version="1.0" encoding="{encoding}"?>\n{template}'.encode(encoding)
    (item,) = parse(document)
    assert item.headline in (
        "Курс рубля укрепился к юаню",
        "Ледокол вышел в первый рейс по Северному морскому пути",
    )


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("template", [RSS_TEMPLATE, NEWSML_TEMPLATE], ids=["rss", "newsml"])
def test_undeclared_single_byte_cyrillic_is_refused_with_the_reason(encoding, template):
    with pytest.raises(DocumentError, match="not UTF-8 and declares no encoding"):
        parse(template.encode(encoding))
    with pytest.raises(DocumentError, match="not UTF-8 and declares no encoding"):
        parse(f'<?xml version="1.0"?>\n{template}'.encode(encoding))


def test_utf8_bytes_declared_as_windows_1251_are_refused_rather_than_garbled():
    document = f'<?xml version="1.0" encoding="windows-1251"?>\n{RSS_TEMPLATE}'.encode()
    with pytest.raises(DocumentError, match="declares windows-1251 but its bytes are UTF-8"):
        parse(document)


def test_ninjs_must_be_utf8():
    with pytest.raises(DocumentError, match="not UTF-8"):
        parse('{"uri": "x", "headline": "Курс"}'.encode("windows-1251"))


# --- Bad input -------------------------------------------------------------------------------


def test_billion_laughs_is_refused_before_expansion():
    with pytest.raises(DocumentError, match="entity-expansion bomb"):
        parse(sample_bytes("bomb.xml"))


def test_external_entity_is_refused():
    document = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>'
    with pytest.raises(DocumentError):
        parse(document)


def test_malformed_xml_is_refused():
    with pytest.raises(DocumentError, match="malformed XML"):
        parse(sample_bytes("malformed.xml"))


@pytest.mark.parametrize("name", ["newsml_message.xml", "rss20.xml", "atom.xml"])
def test_truncated_file_is_refused_not_half_read(name):
    content = sample_bytes(name)
    with pytest.raises(DocumentError, match=r"truncated|malformed"):
        parse(content[: len(content) * 2 // 3])


def test_truncated_json_is_refused():
    content = sample_bytes("ninjs2.json")
    with pytest.raises(DocumentError, match="malformed JSON"):
        parse(content[:200])


def test_html_error_page_is_refused_with_a_clear_reason():
    with pytest.raises(DocumentError, match="HTML page came instead of a feed"):
        parse(sample_bytes("error_page.html"))
    with pytest.raises(DocumentError, match="HTML page"):
        parse(b"<html><body><p>Forbidden</p></body></html>")


@pytest.mark.parametrize("content", [b"", b"   \n", b"<unknown/>", b"[]", b'{"type": "text"}'])
def test_other_unusable_documents_are_refused(content):
    with pytest.raises(DocumentError):
        parse(content)


def test_oversized_document_is_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(DocumentError, match="larger than"):
        parse(sample_bytes("rss20.xml"))
