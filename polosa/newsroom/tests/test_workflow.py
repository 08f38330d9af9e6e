"""The review workflow: a correspondent submits, an editor rejects or approves, the article goes live."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState

from polosa.news.models import ArticlePage
from polosa.newsroom import roles

from .admin_forms import article_form
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(newsroom):
    return {
        "correspondent": UserFactory(role=roles.CORRESPONDENT, username="korr"),
        "editor": UserFactory(role=roles.EDITOR, username="redaktor"),
    }


def submit_new_article(client, section, user, slug="novyj-most"):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    response = client.post(url, article_form("Над рекой открыли новый мост", slug, **{"action-submit": "1"}))
    assert response.status_code == 302
    return ArticlePage.objects.get(slug=slug)


def workflow_action(client, page, action, comment=""):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment})


def test_the_article_tree_has_the_review_workflow(newsroom, section):
    workflow = section.get_workflow()
    assert workflow.name == roles.WORKFLOW_NAME
    assert [t.name for t in workflow.tasks] == [roles.TASK_NAME]
    assert not Workflow.objects.get(name=roles.WAGTAIL_SAMPLE_WORKFLOW).active


def test_submission_is_in_review_and_not_live(client, section, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = submit_new_article(client, section, people["correspondent"])
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.workflow_in_progress
    # The approvers are told: by e-mail, and on their admin dashboard.
    assert any(people["editor"].email in m.to for m in mail.outbox)
    client.force_login(people["editor"])
    dashboard = client.get("/admin/").content.decode()
    assert "Над рекой открыли новый мост" in dashboard


def test_the_article_status_is_shown_in_the_editor(client, section, people):
    page = submit_new_article(client, section, people["correspondent"])
    client.force_login(people["editor"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert roles.TASK_NAME in html


def test_correspondent_cannot_edit_while_in_review(client, section, people):
    page = submit_new_article(client, section, people["correspondent"])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), article_form("Переписал заголовок", page.slug)
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Над рекой открыли новый мост"


def test_rejection_with_a_comment_goes_back_to_the_correspondent(client, section, people):
    page = submit_new_article(client, section, people["correspondent"])
    client.force_login(people["editor"])
    workflow_action(client, page, "reject", comment="Нужен комментарий мэрии")
    page.refresh_from_db()
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.task_states.get()
    assert task_state.status == "rejected"
    assert task_state.comment == "Нужен комментарий мэрии"
    assert not page.live
    # The correspondent fixes the text and submits again.
    client.force_login(people["correspondent"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        article_form("Над рекой открыли новый мост: мнение мэрии", page.slug, **{"action-submit": "1"}),
    )
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_approval_publishes_and_the_article_tops_the_feed(client, section, people, article_factory):
    article_factory(title="Вчерашняя новость о погоде")
    page = submit_new_article(client, section, people["correspondent"])
    client.force_login(people["editor"])
    workflow_action(client, page, "approve", comment="Хорошо")
    page.refresh_from_db()
    assert page.live
    assert page.published_at is not None
    client.logout()
    html = client.get("/news/").content.decode()
    assert html.index("Над рекой открыли новый мост") < html.index("Вчерашняя новость о погоде")


def test_correspondent_cannot_approve_through_a_crafted_post(client, section, people):
    page = submit_new_article(client, section, people["correspondent"])
    response = workflow_action(client, page, "approve")
    assert response.status_code in (302, 403)  # Wagtail answers "permission denied" with a redirect
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_preview_shows_the_real_article_page_before_publication(client, section, people):
    client.force_login(people["correspondent"])
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", section.pk))
    data = article_form("Предпросмотр новости о мосте", "predprosmotr")
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert '<h1 id="article-title"' in html
    assert "Предпросмотр новости о мосте" in html
    assert not ArticlePage.objects.filter(slug="predprosmotr").exists()


def test_a_plain_publish_by_an_editor_records_the_approval(client, section, people):
    page = submit_new_article(client, section, people["correspondent"])
    submitted = page.current_workflow_state
    client.force_login(people["editor"])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        article_form("Над рекой открыли новый мост", page.slug, **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    state = WorkflowState.objects.get(pk=submitted.pk)
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = state.task_states.get()
    assert task_state.status == "approved"
    assert task_state.finished_by == people["editor"]
    assert task_state.revision_id == page.live_revision_id
    assert page.current_workflow_state is None
