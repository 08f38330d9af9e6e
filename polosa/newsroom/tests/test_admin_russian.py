"""The admin speaks correct Russian to editors, also where Wagtail's own catalogue is broken."""

import pytest
from django.urls import reverse
from django.utils import translation

from polosa.news.models import ArticlePage
from polosa.news.tests.factories import ArticlePageFactory
from polosa.newsroom import roles

from .admin_forms import article_form
from .factories import UserFactory

pytestmark = pytest.mark.django_db

BROKEN = ("страницав", "Редактировать страница", "sв ", "Обозреватель могут")


@pytest.fixture
def submitted(client, newsroom, section):
    correspondent = UserFactory(role=roles.CORRESPONDENT, first_name="Иван", last_name="Корреспондентов")
    client.force_login(correspondent)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    client.post(url, article_form("Порт принял первый контейнеровоз", "port", **{"action-submit": "1"}))
    return correspondent, ArticlePage.objects.get(slug="port")


def test_the_newsrooms_catalogue_overrides_wagtails_broken_strings():
    with translation.override("ru"):
        assert translation.gettext("This %(model_name)s is currently awaiting moderation.") == (
            "Материал ожидает проверки."
        )
        assert translation.gettext("Only reviewers for this task can edit the %(model_name)s.") == (
            "Править материал на этом этапе могут только проверяющие."
        )


def test_an_article_in_review_is_described_in_correct_russian(client, submitted):
    _, page = submitted
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Править материал на этом этапе могут только проверяющие" in html
    assert not [b for b in BROKEN if b in html]
    # The concurrent-edit dialog is rendered with the form: in Russian.
    assert "Ошибка сети" in html
    assert "A network error occurred" not in html


def test_the_concurrent_edit_warning_is_in_russian(client, newsroom, section):
    anna = UserFactory(role=roles.EDITOR, first_name="Анна", last_name="Первая")
    boris = UserFactory(role=roles.EDITOR, first_name="Борис", last_name="Второй")
    page = ArticlePageFactory(parent=section, slug="zavod")
    revision = page.save_revision(user=anna)
    started = {"revision_id": revision.pk, "revision_created_at": revision.created_at.isoformat()}
    page.save_revision(user=anna)
    client.force_login(boris)
    url = reverse("wagtailadmin_editing_sessions:ping", args=("news", "articlepage", page.pk, 0))
    html = client.post(url, {"is_editing": "1", **started}).json()["html"]
    assert "Если продолжить, изменения, которые сделал(а) Анна Первая, будут заменены." in html
    assert "Открыть последнюю версию" in html or "Или откройте последнюю версию" in html
    assert "Proceeding" not in html
