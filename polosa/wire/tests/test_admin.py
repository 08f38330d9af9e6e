"""The inbox in Wagtail's admin: access, order, filters, live rows, item view, «Создать материал», status."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from polosa.news.models import ArticlePage
from polosa.news.tests.factories import SectionPageFactory
from polosa.newsroom import roles
from polosa.newsroom.tests.factories import UserFactory
from polosa.wire.ingest import ingest_document
from polosa.wire.models import DocumentStatus, RawDocument, WireArticle, WireItem

from .conftest import sample_bytes
from .factories import SourceFactory, WireItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(home, section):
    roles.ensure_roles()
    return section


@pytest.fixture
def correspondent(newsroom, client):
    user = UserFactory(role=roles.CORRESPONDENT)
    client.force_login(user)
    return user


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def ingest(source, name):
    return ingest_document(sample_bytes(name), source=source, transport="folder", name=name)


def test_a_correspondent_sees_the_inbox_and_its_menu_item(client, correspondent, source):
    ingest(source, "newsml_newsitem.xml")
    response = client.get(reverse("wire_inbox"))
    assert response.status_code == 200
    assert "Совет директоров Центробанка" in response.text
    dashboard = client.get(reverse("wagtailadmin_home"))
    # The sidebar is built from JSON, where Cyrillic is escaped.
    assert json.dumps("Ленты агентств")[1:-1] in dashboard.text
    assert reverse("wire_inbox") in dashboard.text


def test_a_user_who_cannot_create_articles_has_no_inbox(client, newsroom, source):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert refused(client.get(reverse("wire_inbox")))
    assert refused(client.get(reverse("wire_rows")))
    item = WireItemFactory(source=source)
    assert refused(client.get(reverse("wire_item", args=[item.pk])))
    assert refused(client.post(reverse("wire_create_article", args=[item.pk]), {"section": newsroom.pk}))
    assert ArticlePage.objects.count() == 0
    assert reverse("wire_inbox") not in client.get(reverse("wagtailadmin_home")).text


def test_anonymous_visitors_are_sent_to_the_login(client, newsroom):
    response = client.get(reverse("wire_inbox"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def rows(response):
    return [row.pk for row in response.context["result"].rows]


def test_newest_first_without_withdrawn_or_embargoed_items(client, correspondent, source):
    now = timezone.now()
    old = WireItemFactory(source=source, received_at=now - timedelta(hours=2))
    new = WireItemFactory(source=source, received_at=now - timedelta(minutes=1))
    WireItemFactory(source=source, withdrawn_at=now)
    WireItemFactory(source=source, available_at=now + timedelta(hours=1))
    response = client.get(reverse("wire_inbox"))
    assert rows(response) == [new.pk, old.pk]
    assert "1 сообщение под эмбарго" in response.text


def test_filters_by_agency_urgency_section_and_state(client, correspondent, source, newsroom):
    other_section = SectionPageFactory(parent=newsroom.get_parent(), title="Политика", slug="politics")
    other_agency = SourceFactory(agency="Экспресс-Факт", slug="ef")
    urgent = WireItemFactory(source=source, urgency=1)
    calm = WireItemFactory(source=source, urgency=6, section=newsroom)
    foreign = WireItemFactory(source=other_agency, urgency=3, section=other_section, seen_at=timezone.now())
    url = reverse("wire_inbox")
    assert rows(client.get(url, {"agency": "Экспресс-Факт"})) == [foreign.pk]
    assert set(rows(client.get(url, {"urgency": 3}))) == {urgent.pk, foreign.pk}
    assert rows(client.get(url, {"section": newsroom.pk})) == [calm.pk]
    assert set(rows(client.get(url, {"state": "unseen"}))) == {urgent.pk, calm.pk}
    WireArticle.objects.create(item=calm, page=_draft(newsroom), item_version=1)
    assert rows(client.get(url, {"state": "used"})) == [calm.pk]
    assert calm.pk not in rows(client.get(url, {"state": "unused"}))
    # The live refresh keeps the filters, encoded.
    page = client.get(url, {"agency": "Экспресс-Факт", "q": "два слова"})
    assert "agency=%D0%AD%D0%BA%D1%81" in page.text
    assert "q=%D0%B4%D0%B2%D0%B0+%D1%81%D0%BB%D0%BE%D0%B2%D0%B0" in page.text


def _draft(section):
    from polosa.news.tests.factories import ArticlePageFactory

    return ArticlePageFactory(parent=section, live=False)


def test_words_are_found_in_any_of_their_russian_forms(client, correspondent, source):
    ingest(source, "newsml_message.xml")  # «Мурманского порта», «остановлена ТЭЦ-2»
    url = reverse("wire_inbox")
    found = client.get(url, {"q": "мурманский порт"}).context["result"].rows
    assert [row.guid.rsplit(":", 1)[1] for row in found] == ["port-118"]
    assert [
        r.guid.rsplit(":", 1)[1] for r in client.get(url, {"q": "остановить"}).context["result"].rows
    ] == ["energy-044"]
    assert client.get(url, {"q": "мурманский ТЭЦ"}).context["result"].rows == []
    # Operators and quotes are not syntax; only function words is no query at all.
    assert client.get(url, {"q": "порт' | !(&"}).context["result"].rows[0].guid.endswith("port-118")
    assert client.get(url, {"q": "и в на"}).context["result"].rows == []


def test_pages_follow_a_cursor_not_an_offset(client, correspondent, source, monkeypatch):
    from polosa.wire import inbox

    monkeypatch.setattr(inbox, "PAGE_SIZE", 3)
    now = timezone.now()
    items = [WireItemFactory(source=source, received_at=now - timedelta(minutes=i)) for i in range(7)]
    first = client.get(reverse("wire_inbox"))
    assert rows(first) == [i.pk for i in items[:3]]
    cursor = first.context["result"].next_cursor
    second = client.get(reverse("wire_inbox"), {"before": cursor})
    assert rows(second) == [i.pk for i in items[3:6]]


def test_the_inbox_page_reads_a_fixed_number_of_queries(
    client, correspondent, source, django_assert_max_num_queries
):
    other = SourceFactory(agency="Экспресс-Факт", slug="ef2")
    for i in range(30):
        WireItemFactory(source=source if i % 2 else other)
    client.get(reverse("wire_inbox"))  # warm the session and permission caches
    with django_assert_max_num_queries(20):
        response = client.get(reverse("wire_inbox"))
    assert len(rows(response)) == 30


def test_live_rows_bring_only_items_newer_than_the_cursor(client, correspondent, source):
    first = WireItemFactory(source=source, received_at=timezone.now() - timedelta(minutes=5))
    cursor = client.get(reverse("wire_inbox")).context["result"].newest_cursor
    data = client.get(reverse("wire_rows"), {"after": cursor}).json()
    assert data["count"] == 0
    newer = WireItemFactory(source=source, headline="Свежая новость из ленты")
    data = client.get(reverse("wire_rows"), {"after": cursor}).json()
    assert data["count"] == 1
    assert "Свежая новость из ленты" in data["html"]
    assert f'data-wire-item="{newer.pk}"' in data["html"]
    assert f'data-wire-item="{first.pk}"' not in data["html"]
    assert data["cursor"] != cursor


def test_the_item_view_shows_the_cleaned_text_and_marks_it_seen(client, correspondent, source):
    ingest(source, "newsml_newsitem.xml")
    item = WireItem.objects.get()
    response = client.get(reverse("wire_item", args=[item.pk]))
    assert response.status_code == 200
    assert "<p>Совет директоров Центробанка на заседании" in response.text
    assert "alert(1)" not in response.text
    assert "Создать материал" in response.text
    item.refresh_from_db()
    assert item.seen_at is not None


def test_create_article_makes_an_attributed_draft_in_the_chosen_section(
    client, correspondent, source, newsroom
):
    ingest(source, "newsml_newsitem.xml")
    item = WireItem.objects.get()
    response = client.post(reverse("wire_create_article", args=[item.pk]), {"section": newsroom.pk})
    article = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert article.get_parent().pk == newsroom.pk
    assert not article.live
    assert article.title == item.headline
    assert article.lead == item.lead
    paragraphs = [block.value.source for block in article.body]
    assert "Совет директоров Центробанка на заседании" in paragraphs[0]
    assert paragraphs[-1] == "<p>по данным агентства «Вестник-Информ»</p>"
    assert article.owner == correspondent
    assert article.latest_revision is not None
    use = WireArticle.objects.get()
    assert use.item == item
    assert use.page_id == article.pk
    assert use.item_version == 1
    # The edit view links back to the item.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert reverse("wire_item", args=[item.pk]) in edit.text
    assert "Материал сделан из сообщения агентства" in edit.text


def test_create_article_is_refused_for_a_withdrawn_or_embargoed_item(client, correspondent, source, newsroom):
    killed = WireItemFactory(source=source, withdrawn_at=timezone.now())
    held = WireItemFactory(source=source, available_at=timezone.now() + timedelta(hours=1))
    for item in (killed, held):
        client.post(reverse("wire_create_article", args=[item.pk]), {"section": newsroom.pk})
    assert ArticlePage.objects.count() == 0


def test_create_article_only_in_a_section_the_user_may_add_to(client, newsroom, source):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Только экономика")
    GroupPagePermission.objects.create(
        group=group, page=newsroom, permission=Permission.objects.get(codename="add_page")
    )
    user.groups.add(group)
    other = SectionPageFactory(parent=newsroom.get_parent(), title="Спорт", slug="sport")
    client.force_login(user)
    item = WireItemFactory(source=source)
    client.post(reverse("wire_create_article", args=[item.pk]), {"section": other.pk})
    assert ArticlePage.objects.count() == 0
    client.post(reverse("wire_create_article", args=[item.pk]), {"section": newsroom.pk})
    assert ArticlePage.objects.get().get_parent().pk == newsroom.pk


def test_the_edit_view_warns_when_the_agency_updates_or_kills_the_item(
    client, correspondent, source, newsroom
):
    ingest(source, "newsml_newsitem.xml")
    item = WireItem.objects.get()
    client.post(reverse("wire_create_article", args=[item.pk]), {"section": newsroom.pk})
    article = ArticlePage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    ingest(source, "newsml_newsitem_v2.xml")
    assert "Агентство обновило сообщение" in client.get(edit_url).text
    ingest(source, "newsml_kill.xml")
    response = client.get(edit_url)
    assert "Агентство отозвало сообщение" in response.text
    assert item.pk not in rows(client.get(reverse("wire_inbox")))


def test_the_status_page_shows_last_success_last_error_and_items_today(client, correspondent, source):
    ingest(source, "newsml_message.xml")
    from polosa.wire.ingest import record_failure, record_success

    record_success(source)
    bad = ingest_document(sample_bytes("bomb.xml"), source=source, transport="folder", name="bomb.xml")
    record_failure(source, bad.error, back_off=False)
    response = client.get(reverse("wire_status"))
    assert response.status_code == 200
    row = response.text.split(f'data-wire-source="{source.pk}"')[1].split("</tr>")[0]
    assert "XML-бомба" in row
    assert "<td>3</td>" in row
    detail = client.get(reverse("wire_source_status", args=[source.pk]))
    failed = RawDocument.objects.get(status=DocumentStatus.FAILED)
    assert reverse("wire_document", args=[failed.pk]) in detail.text
    download = client.get(reverse("wire_document", args=[failed.pk]))
    assert download.content == sample_bytes("bomb.xml")
    assert download["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("kind", "field"), [("feed", "address"), ("folder", "folder"), ("push", "token_env")]
)
def test_a_source_must_say_where_its_documents_come_from(kind, field):
    from django.core.exceptions import ValidationError

    source = SourceFactory.build(kind=kind, address="", folder="", token_env="")
    with pytest.raises(ValidationError) as error:
        source.clean()
    assert field in error.value.message_dict


def test_administrators_may_manage_sources(newsroom):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    assert admin.has_perm("wire.change_source")
    assert admin.has_perm("wire.add_source")
