"""A page made private stops being served from the cache at once, and leaves the listings and the CDN,
like an unpublished one; made public again, it comes back. Each test first proves the page was a hit."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from polosa.caching.middleware import CACHE_HEADER
from polosa.caching.tests import fake_cdn
from polosa.news.models import ArticlePage

pytestmark = pytest.mark.django_db

SITE = "http://news.test"
RECORDING = {"fake": {"BACKEND": "polosa.caching.tests.fake_cdn.RecordingBackend"}}
SECRET = "Секретная смета бюджета"
LEAD = "Лид, который видят только свои."
BODY = "Первый абзац тестовой новости."


@pytest.fixture
def purged():
    fake_cdn.purged.clear()
    with override_settings(WAGTAILFRONTENDCACHE=RECORDING, SITE_URL=SITE):
        yield fake_cdn.purged
    fake_cdn.purged.clear()


@pytest.fixture
def pages(article_factory, section):
    secret = article_factory(title=SECRET, lead=LEAD, published_at=timezone.now() - timedelta(minutes=5))
    # Another article's page shows the feed column beside it.
    other = article_factory(title="Погода на выходные", published_at=timezone.now() - timedelta(hours=2))
    return {"secret": secret, "other": other, "section": section}


@pytest.fixture
def editor(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def warm(client, url):
    assert client.get(url).status_code == 200, url
    assert client.get(url)[CACHE_HEADER] == "hit", url


def warm_all(client, pages, secret=True):
    """Warm the listings and, while it is public, the article (Wagtail never lets a private page be
    stored: it marks the password form and the login redirect never-cache)."""
    for url in (pages["other"].url, pages["section"].url, "/news/"):
        warm(client, url)
    if secret:
        warm(client, pages["secret"].url)


def text_of(response, selector) -> str:
    return BeautifulSoup(response.content, "html.parser").select_one(selector).get_text(" ")


def shown_everywhere(client, pages) -> dict[str, bool]:
    """Where anonymous readers see the secret article: its page, the feed column, the listings."""
    own = client.get(pages["secret"].url)
    return {
        "page": own.status_code == 200 and LEAD in own.content.decode(),
        "feed column": SECRET in text_of(client.get(pages["other"].url), "aside"),
        "section": SECRET in text_of(client.get(pages["section"].url), "main"),
        "news": SECRET in text_of(client.get("/news/"), "main"),
    }


def paths(urls):
    return {"/" + url.split("://", 1)[1].split("/", 1)[1] for url in urls}


def assert_private(client, pages):
    response = client.get(pages["secret"].url)
    assert response.get(CACHE_HEADER) != "hit"
    assert LEAD not in response.content.decode()
    assert BODY not in response.content.decode()
    assert shown_everywhere(client, pages) == dict.fromkeys(("page", "feed column", "section", "news"), False)
    return response


def test_a_password_set_through_the_orm_hides_the_page_and_its_listings_at_once(
    client, pages, purged, django_capture_on_commit_callbacks
):
    warm_all(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=pages["secret"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    response = assert_private(client, pages)
    # Wagtail's password form, not the stored article.
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert {pages["secret"].url, pages["section"].url, "/news/"} <= paths(purged)


def test_removing_the_restriction_brings_the_article_back(
    client, pages, purged, django_capture_on_commit_callbacks
):
    restriction = PageViewRestriction.objects.create(
        page=pages["secret"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    warm_all(client, pages, secret=False)
    assert_private(client, pages)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert shown_everywhere(client, pages) == dict.fromkeys(("page", "feed column", "section", "news"), True)
    assert {pages["secret"].url, pages["section"].url, "/news/"} <= paths(purged)


def test_the_admin_privacy_dialog_hides_and_restores_the_article(
    client, editor, pages, purged, django_capture_on_commit_callbacks
):
    url = reverse("wagtailadmin_pages:set_privacy", args=[pages["secret"].pk])
    warm_all(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, {"restriction_type": "password", "password": "s3cret"})
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=pages["secret"]).exists()
    assert 'name="password"' in assert_private(client, pages).content.decode()
    assert pages["secret"].url in paths(purged)

    warm_all(client, pages, secret=False)  # listings without the article are stored meanwhile
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, {"restriction_type": "none"})
    assert not PageViewRestriction.objects.filter(page=pages["secret"]).exists()
    assert shown_everywhere(client, pages) == dict.fromkeys(("page", "feed column", "section", "news"), True)
    assert {pages["secret"].url, pages["section"].url} <= paths(purged)


def test_a_login_restriction_sends_readers_to_the_login_page(client, editor, pages):
    warm_all(client, pages)
    editor.post(
        reverse("wagtailadmin_pages:set_privacy", args=[pages["secret"].pk]), {"restriction_type": "login"}
    )
    response = assert_private(client, pages)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_private_section_hides_every_article_below_it(client, pages):
    warm_all(client, pages)
    PageViewRestriction.objects.create(
        page=pages["section"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for article in (pages["secret"], pages["other"]):
        response = client.get(article.url)
        assert response.get(CACHE_HEADER) != "hit"
        assert 'name="password"' in response.content.decode()
    assert SECRET not in text_of(client.get("/news/"), "main")
    # Lifting it from the section while the article keeps its own restriction leaves the article out.
    PageViewRestriction.objects.create(page=pages["secret"], restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.filter(page=pages["section"]).delete()
    assert client.get(pages["other"].url).status_code == 200
    assert shown_everywhere(client, pages) == dict.fromkeys(("page", "feed column", "section", "news"), False)


def test_a_restriction_committed_during_a_render_does_not_leave_a_public_copy(client, pages, monkeypatch):
    # The render passed Wagtail's privacy check, then the restriction committed before the page's
    # get_context recorded its key: the page it stores must not be served to the next reader.
    secret = pages["secret"]
    original = ArticlePage.get_context
    done = []

    def restricted_meanwhile(self, request, *args, **kwargs):
        if not done:
            done.append(
                PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
            )
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "get_context", restricted_meanwhile)
    assert LEAD in client.get(secret.url).content.decode()  # this reader was already let in
    response = client.get(secret.url)
    assert response.get(CACHE_HEADER) != "hit"
    assert LEAD not in response.content.decode()
