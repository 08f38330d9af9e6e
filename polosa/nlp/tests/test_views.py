"""The panel's views: what editors see, who may make a tag, and that nothing is tagged behind the form."""

import pytest
from django.urls import reverse

from polosa.news.models import Tag, TagKind
from polosa.news.tests.factories import TagFactory
from polosa.newsroom import roles
from polosa.newsroom.tests.factories import UserFactory
from polosa.nlp import service
from polosa.nlp.models import TagSuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(newsroom_roles):
    return UserFactory(role=roles.EDITOR)


@pytest.fixture
def newsroom_roles(home, section, story_index):
    roles.ensure_roles()


@pytest.fixture
def analysed(nlp_models, article_with_text):
    TagFactory(kind=TagKind.PERSON, name="Сергей Лавров", slug="sergey-lavrov")
    article = article_with_text(
        "Лавров прилетел в Улан-Удэ", paragraphs=["Встреча с Лавровым прошла в здании правительства."]
    )
    service.analyse_article(article)
    return article


def test_the_edit_view_has_the_panel(client, editor, analysed):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[analysed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-nlp-panel" in html
    assert "Предложенные теги" in html
    assert reverse("nlp_panel", args=[analysed.pk]) in html


def test_the_panel_lists_suggestions_in_russian(client, editor, analysed):
    client.force_login(editor)
    response = client.get(reverse("nlp_panel", args=[analysed.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Сергей Лавров" in html
    assert "Улан-Удэ" in html
    assert "новый тег" in html
    assert "Обновить предложения" in html
    assert "Похожие материалы" in html
    assert response["X-Nlp-Stale"] == "0"


def test_the_panel_leaves_out_tags_already_in_the_form(client, editor, analysed):
    client.force_login(editor)
    lavrov = Tag.objects.get(slug="sergey-lavrov")
    response = client.get(reverse("nlp_panel", args=[analysed.pk]), {"tags": f"{lavrov.pk},x"})
    assert "Сергей Лавров" not in response.content.decode()


def test_the_panel_says_when_the_text_changed_since(client, editor, analysed):
    client.force_login(editor)
    analysed.save_revision()
    response = client.get(reverse("nlp_panel", args=[analysed.pk]))
    assert response["X-Nlp-Stale"] == "1"
    assert "более ранней версии" in response.content.decode()


def test_refresh_reads_the_latest_revision(client, editor, analysed):
    client.force_login(editor)
    analysed.title = "Лавров прилетел в Петрозаводск"
    analysed.save_revision()
    response = client.post(reverse("nlp_refresh", args=[analysed.pk]))
    html = response.content.decode()
    assert response["X-Nlp-Stale"] == "0"
    assert "Петрозаводск" in html


def test_adding_a_new_tag_creates_it_with_its_kind_but_does_not_tag_the_article(client, editor, analysed):
    client.force_login(editor)
    suggestion = TagSuggestion.objects.get(article=analysed, name="Улан-Удэ")
    response = client.post(reverse("nlp_add", args=[analysed.pk, suggestion.pk]))
    assert response.status_code == 200
    tag = Tag.objects.get(pk=response.json()["id"])
    assert (tag.kind, tag.name, tag.slug) == (TagKind.PLACE, "Улан-Удэ", "ulan-ude")
    assert response.json()["title"] == str(tag)
    assert not analysed.tag_links.exists()  # the form adds it; the editor saves
    again = client.post(reverse("nlp_add", args=[analysed.pk, suggestion.pk]))
    assert again.json()["id"] == tag.pk
    assert Tag.objects.filter(name="Улан-Удэ").count() == 1


def test_adding_an_existing_tag_answers_that_tag(client, editor, analysed):
    client.force_login(editor)
    suggestion = TagSuggestion.objects.get(article=analysed, tag__slug="sergey-lavrov")
    response = client.post(reverse("nlp_add", args=[analysed.pk, suggestion.pk]))
    assert response.json()["id"] == suggestion.tag_id


def test_a_correspondent_may_add_existing_tags_but_not_create_them(client, newsroom_roles, analysed):
    correspondent = UserFactory(role=roles.CORRESPONDENT)
    analysed.owner = correspondent
    analysed.live = False
    analysed.save()
    client.force_login(correspondent)
    existing = TagSuggestion.objects.get(article=analysed, tag__slug="sergey-lavrov")
    assert client.post(reverse("nlp_add", args=[analysed.pk, existing.pk])).status_code == 200
    new = TagSuggestion.objects.get(article=analysed, name="Улан-Удэ")
    response = client.post(reverse("nlp_add", args=[analysed.pk, new.pk]))
    assert response.status_code == 403
    assert response.json()["error"] == "У вас нет права создавать теги."
    assert not Tag.objects.filter(name="Улан-Удэ").exists()


def test_someone_who_cannot_edit_the_article_sees_nothing(client, analysed, newsroom_roles):
    outsider = UserFactory(role=roles.CORRESPONDENT)
    client.force_login(outsider)
    assert client.get(reverse("nlp_panel", args=[analysed.pk])).status_code == 403
    assert client.post(reverse("nlp_refresh", args=[analysed.pk])).status_code == 403
