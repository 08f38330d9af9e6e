"""Revisions: compare and revert, concurrent edits, redirects on slug change or move, 410 Gone."""

import pytest
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Revision

from polosa.news.models import ArticlePage
from polosa.news.tests.factories import ArticlePageFactory, SectionPageFactory
from polosa.newsroom import roles

from .admin_forms import article_form
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(newsroom):
    return (
        UserFactory(role=roles.EDITOR, username="anna", first_name="Анна", last_name="Первая"),
        UserFactory(role=roles.EDITOR, username="boris", first_name="Борис", last_name="Второй"),
    )


@pytest.fixture
def article(section):
    page = ArticlePageFactory(parent=section, title="Завод запустил новую линию", slug="zavod")
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def loaded(page) -> dict:
    """The hidden fields the editor's form carries: which revision the editor started from."""
    latest = Revision.objects.get(pk=ArticlePage.objects.get(pk=page.pk).latest_revision_id)
    return {"loaded_revision_id": str(latest.pk), "loaded_revision_created_at": latest.created_at.isoformat()}


def revision_count(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


# --- Concurrent edits -----------------------------------------------------------------------------


def test_a_stale_save_is_refused_with_a_warning_and_nothing_is_overwritten(client, article, editors):
    anna, boris = editors
    anna_started = loaded(article)
    boris_started = loaded(article)
    client.force_login(boris)
    client.post(
        edit_url(article), article_form("Завод запустил линию: версия Бориса", "zavod", **boris_started)
    )
    assert revision_count(article) == 2

    client.force_login(anna)
    response = client.post(
        edit_url(article), article_form("Завод запустил линию: версия Анны", "zavod", **anna_started)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Борис Второй" in html
    assert "версия Анны" in html  # what Anna typed is still in the form
    assert revision_count(article) == 2
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.title == "Завод запустил линию: версия Бориса"

    # Having seen the warning, Anna saves again from the re-rendered form: a deliberate overwrite.
    client.post(
        edit_url(article), article_form("Завод запустил линию: версия Анны", "zavod", **loaded(article))
    )
    assert revision_count(article) == 3
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title.endswith("Анны")


def test_a_save_from_the_latest_revision_goes_through(client, article, editors):
    client.force_login(editors[0])
    client.post(edit_url(article), article_form("Новая редакция заголовка", "zavod", **loaded(article)))
    client.post(edit_url(article), article_form("Ещё одна редакция заголовка", "zavod", **loaded(article)))
    assert revision_count(article) == 3


def autosave(client, page, data):
    """What the editor's browser sends in the background (Wagtail's autosave): a JSON save."""
    answer = client.post(edit_url(page), data, HTTP_ACCEPT="application/json").json()
    assert answer["success"], answer
    return answer


def test_the_editors_own_autosave_never_blocks_their_save_or_publish(client, article, editors):
    anna, _ = editors
    client.force_login(anna)
    started = loaded(article)
    # The first autosave makes a new revision, later ones overwrite it (and move its time on).
    first = autosave(client, article, article_form("Завод запустил линию: черновик", "zavod", **started))
    autosave(
        client,
        article,
        article_form(
            "Завод запустил линию: ещё черновик",
            "zavod",
            **started,
            overwrite_revision_id=str(first["revision_id"]),
        ),
    )
    # The form's hidden fields still name the revision Anna opened: her save must go through.
    response = client.post(edit_url(article), article_form("Завод запустил линию: итог", "zavod", **started))
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title.endswith("итог")

    # The page reloads after a save; then another autosave, and a publish from the same form.
    reloaded = loaded(article)
    autosave(client, article, article_form("Завод запустил линию: к выпуску", "zavod", **reloaded))
    response = client.post(
        edit_url(article),
        article_form("Завод запустил линию: в эфир", "zavod", **reloaded, **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).title == "Завод запустил линию: в эфир"


def test_a_colleagues_save_after_my_autosave_still_stops_my_save(client, article, editors):
    anna, boris = editors
    started = loaded(article)
    client.force_login(boris)
    client.post(edit_url(article), article_form("Завод запустил линию: версия Бориса", "zavod", **started))
    client.force_login(anna)
    # Anna's autosave is refused by Wagtail (a newer revision exists), and so is her save.
    refused = client.post(
        edit_url(article),
        article_form("Завод запустил линию: версия Анны", "zavod", **started),
        HTTP_ACCEPT="application/json",
    ).json()
    assert not refused["success"]
    response = client.post(edit_url(article), article_form("Завод: версия Анны", "zavod", **started))
    assert response.status_code == 200
    assert "Борис Второй" in response.content.decode()


def test_the_editor_sees_who_else_has_the_article_open(client, article, editors):
    anna, boris = editors
    ct = "news/articlepage"
    client.force_login(anna)
    client.post(reverse("wagtailadmin_editing_sessions:ping", args=(*ct.split("/"), article.pk, 0)))
    client.force_login(boris)
    answer = client.post(
        reverse("wagtailadmin_editing_sessions:ping", args=(*ct.split("/"), article.pk, 0)),
        {"is_editing": "1"},
    ).json()
    assert [s["user"] for s in answer["other_sessions"]] == ["Анна Первая"]


# --- Compare and revert ---------------------------------------------------------------------------


def test_compare_two_revisions_and_revert_to_the_old_one(client, article, editors):
    client.force_login(editors[0])
    first = ArticlePage.objects.get(pk=article.pk).latest_revision_id
    client.post(
        edit_url(article),
        article_form("Завод остановил линию", "zavod", **loaded(article), **{"action-publish": "1"}),
    )
    second = ArticlePage.objects.get(pk=article.pk).latest_revision_id
    compare = client.get(reverse("wagtailadmin_pages:revisions_compare", args=(article.pk, first, second)))
    assert compare.status_code == 200
    html = compare.content.decode()
    # The comparison marks the words taken out and put in.
    assert "запустил" in html
    assert "остановил" in html

    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=(article.pk, first)))
    assert revert.status_code == 200
    assert "Завод запустил новую линию" in revert.content.decode()
    # Publishing the old text (what the revert screen's form posts) makes it live again.
    client.post(
        edit_url(article),
        article_form("Завод запустил новую линию", "zavod", **loaded(article), **{"action-publish": "1"}),
    )
    assert ArticlePage.objects.get(pk=article.pk).title == "Завод запустил новую линию"


def test_a_correspondent_cannot_revert_someone_elses_article(client, article, newsroom):
    client.force_login(UserFactory(role=roles.CORRESPONDENT))
    response = client.get(
        reverse(
            "wagtailadmin_pages:revisions_revert",
            args=(article.pk, ArticlePage.objects.get(pk=article.pk).latest_revision_id),
        )
    )
    assert response.status_code in (302, 403)


# --- Old addresses --------------------------------------------------------------------------------


def test_a_slug_change_leaves_a_permanent_redirect(
    client, article, editors, django_capture_on_commit_callbacks
):
    old_url = article.url
    client.force_login(editors[0])
    # Wagtail announces the slug change once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url(article),
            article_form(article.title, "zavod-liniya", **loaded(article), **{"action-publish": "1"}),
        )
    client.logout()
    new_url = ArticlePage.objects.get(pk=article.pk).url
    assert new_url != old_url
    assert Redirect.objects.filter(old_path=old_url.rstrip("/"), is_permanent=True).exists()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(new_url)
    assert client.get(new_url).status_code == 200


def test_moving_an_article_to_another_section_leaves_a_redirect(client, article, newsroom, editors):
    old_url = article.url
    sport = SectionPageFactory(parent=newsroom, title="Спорт", slug="sport")
    client.force_login(editors[0])
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=(article.pk, sport.pk)))
    assert response.status_code == 302
    client.logout()
    moved = ArticlePage.objects.get(pk=article.pk)
    assert moved.section_id == sport.pk
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(moved.url)


# --- Unpublishing ---------------------------------------------------------------------------------


def test_unpublishing_answers_gone_and_leaves_every_listing_at_once(
    client, article, section, newsroom, editors
):
    url = article.url
    # Readers' caches are warm: every page showing the article is stored.
    for address in (url, "/news/", section.url, "/"):
        assert "Завод запустил новую линию" in client.get(address).content.decode()
        assert client.get(address)["X-Polosa-Cache"] == "hit"
    client.force_login(editors[0])
    client.post(reverse("wagtailadmin_pages:unpublish", args=(article.pk,)))
    client.logout()
    gone = client.get(url)
    assert gone.status_code == 410
    assert "Завод запустил новую линию" not in gone.content.decode()
    for address in ("/news/", section.url, "/"):
        assert "Завод запустил новую линию" not in client.get(address).content.decode(), address


def test_a_draft_that_was_never_published_is_simply_not_found(client, section):
    draft = ArticlePageFactory(
        parent=section, live=False, published_at=None, first_published_at=None, slug="chernovik"
    )
    assert client.get(f"{section.url}{draft.slug}/").status_code == 404


def test_unknown_addresses_stay_not_found(client, section):
    assert client.get(f"{section.url}net-takoj-stati/").status_code == 404
    assert client.get("/no/such/path/").status_code == 404
