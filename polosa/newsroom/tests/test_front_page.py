"""The duty editor's front page: main story, ordered top stories, the breaking banner; corrections."""

import json
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polosa.front.models import TOP_STORIES_MAX, HomePage
from polosa.news.models import ArticlePage, CorrectionKind
from polosa.newsroom import roles
from polosa.newsroom.models import BreakingBanner

from .admin_forms import article_form, home_form
from .factories import BreakingBannerFactory, UserFactory

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def duty_editor(newsroom):
    return UserFactory(role=roles.DUTY_EDITOR)


# --- Curation -------------------------------------------------------------------------------------


def test_duty_editor_sets_the_main_story_and_ordered_top_stories(
    client, newsroom, duty_editor, article_factory
):
    now = timezone.now()
    articles = [
        article_factory(title=f"Новость номер {i} для первой полосы", published_at=now - timedelta(minutes=i))
        for i in range(8)
    ]
    main, *rest = articles[5], articles[7], articles[6], articles[4]
    client.get("/")  # the front page is cached for readers before the change
    client.force_login(duty_editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(newsroom.pk,)),
        home_form(newsroom, main_story=main, top_stories=rest, **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    client.logout()
    html = client.get("/").content.decode()
    positions = [html.index(a.title) for a in (main, *rest)]
    assert positions == sorted(positions), "main story first, then the top stories in the chosen order"
    assert HomePage.objects.get(pk=newsroom.pk).main_story_id == main.pk


def test_at_most_n_top_stories(client, newsroom, duty_editor, article_factory):
    articles = [article_factory() for _ in range(TOP_STORIES_MAX + 1)]
    client.force_login(duty_editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(newsroom.pk,)),
        home_form(newsroom, top_stories=articles, **{"action-publish": "1"}),
    )
    assert response.status_code == 200  # the form comes back with an error
    assert HomePage.objects.get(pk=newsroom.pk).top_stories.count() == 0


# --- Breaking banner ------------------------------------------------------------------------------


def test_no_banner_no_markup(client, article_factory):
    article_factory()
    assert "breaking-banner" not in client.get("/").content.decode()


def test_banner_appears_on_every_page_at_once_and_goes_at_its_expiry(client, section, article_factory):
    # Real time, not a fake clock: a shared cache (Redis) counts its entries' lifetimes itself.
    article = article_factory(title="Обычная новость дня")
    pages = ["/", "/news/", section.url, article.url]
    for url in pages:
        client.get(url)  # every page is in the readers' cache without a banner
    expires_at = timezone.now() + timedelta(seconds=5)
    BreakingBannerFactory(text="Правительство ушло в отставку", link=article.url, expires_at=expires_at)
    for url in pages:
        html = client.get(url).content.decode()
        assert "Правительство ушло в отставку" in html, url
        assert "Срочно" in html
        assert f'href="{article.url}"' in html
    assert client.get("/")["X-Polosa-Cache"] == "hit"
    time.sleep(max(0.0, (expires_at - timezone.now()).total_seconds()) + 0.2)
    for url in pages:
        assert "Правительство ушло в отставку" not in client.get(url).content.decode(), url


def test_deleting_the_banner_removes_it_from_cached_pages(client, article_factory):
    article_factory()
    banner = BreakingBannerFactory(text="Землетрясение на Камчатке")
    assert "Землетрясение на Камчатке" in client.get("/").content.decode()
    banner.delete()
    assert "Землетрясение на Камчатке" not in client.get("/").content.decode()


def test_newest_banner_wins(client, article_factory):
    article_factory()
    BreakingBannerFactory(text="Первая срочная новость")
    BreakingBannerFactory(text="Вторая срочная новость")
    html = client.get("/").content.decode()
    assert "Вторая срочная новость" in html
    assert "Первая срочная новость" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "ftp://x.example/"])
def test_banner_link_must_be_a_site_path_or_http(link):
    banner = BreakingBanner(text="Текст", link=link, expires_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError):
        banner.full_clean()


def test_banner_expiry_must_be_in_the_future():
    banner = BreakingBanner(text="Текст", link="/", expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        banner.full_clean()


def test_duty_editor_runs_the_banner_from_the_admin(client, duty_editor, article_factory):
    article_factory()
    client.force_login(duty_editor)
    when = timezone.localtime(timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("wagtailsnippets_newsroom_breakingbanner:add"),
        {"text": "Сильный снегопад парализовал город", "link": "/news/", "expires_at": when},
    )
    assert response.status_code == 302
    client.logout()
    assert "Сильный снегопад парализовал город" in client.get("/").content.decode()


def test_banner_costs_no_query_once_cached(client, article_factory, django_assert_num_queries):
    from polosa.newsroom.components import breaking_banner

    BreakingBannerFactory(text="Срочное сообщение")
    assert "Срочное сообщение" in breaking_banner(None, {})
    with django_assert_num_queries(0):
        assert "Срочное сообщение" in breaking_banner(None, {})


# --- Corrections ----------------------------------------------------------------------------------


def test_editor_adds_a_dated_correction_shown_on_the_article_and_in_date_modified(client, newsroom, section):
    editor = UserFactory(role=roles.EDITOR)
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=MSK), tick=False):
        from polosa.news.tests.factories import ArticlePageFactory

        article = ArticlePageFactory(parent=section, title="Банк снизил ставки по вкладам", slug="vklady")
        article.save_revision().publish()
    with time_machine.travel(datetime(2026, 11, 25, 14, 10, tzinfo=MSK), tick=False):
        client.get(article.url)  # cached for readers
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(article.pk,)),
            article_form(
                article.title,
                article.slug,
                corrections=[
                    {
                        "kind": CorrectionKind.CORRECTION,
                        "noted_at": "2026-11-25 14:05",
                        "note": "В первой версии неверно указан размер ставки.",
                    }
                ],
                **{"action-publish": "1"},
            ),
        )
        assert response.status_code == 302
        client.logout()
        html = client.get(article.url).content.decode()
    assert "Исправлено" in html
    assert "25 ноября, 14:05" in html
    assert "В первой версии неверно указан размер ставки." in html
    published = ArticlePage.objects.get(pk=article.pk)
    assert published.updated_at == datetime(2026, 11, 25, 14, 5, tzinfo=MSK)
    data = [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    article_data = next(d for d in data if d.get("@type") == "NewsArticle")
    # dateModified is the later of the correction and the last publish (14:10).
    assert article_data["dateModified"] >= "2026-11-25T14:05:00+03:00"
    assert published.modified_at >= datetime(2026, 11, 25, 14, 5, tzinfo=MSK)


def test_an_update_note_reads_updated(client, section):
    from polosa.news.models import ArticleCorrection
    from polosa.news.tests.factories import ArticlePageFactory

    with time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=MSK), tick=False):
        article = ArticlePageFactory(parent=section)
    article.corrections.add(
        ArticleCorrection(
            kind=CorrectionKind.UPDATE,
            noted_at=datetime(2026, 11, 25, 14, 5, tzinfo=MSK),
            note="Добавлен комментарий министерства.",
        )
    )
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert re.search(r"Обновлено\s*<time[^>]*>25 ноября, 14:05</time>", html)
    assert "Добавлен комментарий министерства." in html


def test_an_article_without_notes_shows_none(client, article_factory):
    article = article_factory()
    assert "article__corrections" not in client.get(article.url).content.decode()
