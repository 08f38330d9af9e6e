"""The dashboard's desk panel: review queue, today's schedule, the last hour's publications."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup

from polosa.news.tests.factories import ArticlePageFactory
from polosa.newsroom import roles

from .factories import UserFactory

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=MSK)


def draft(section, title, slug):
    return ArticlePageFactory(
        parent=section, title=title, slug=slug, live=False, published_at=None, first_published_at=None
    )


def desk(client):
    html = client.get("/admin/").content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one(".newsroom-desk")
    assert panel is not None
    return [
        [li.get_text(" ", strip=True) for li in column.select("li")]
        for column in panel.select(".newsroom-desk__list")
    ]


def test_the_desk_shows_review_queue_todays_schedule_and_the_last_hour(client, newsroom, section):
    korr = UserFactory(role=roles.CORRESPONDENT)
    with time_machine.travel(NOW, tick=False):
        submitted = draft(section, "Биржа открылась ростом", "birzha")
        submitted.save_revision(user=korr)
        section.get_workflow().start(submitted, korr)

        evening = draft(section, "Вечерний обзор рынков", "obzor")
        evening.go_live_at = NOW.replace(hour=19, minute=30)
        evening.save_revision().publish()
        tomorrow = draft(section, "Завтрашний анонс", "anons")
        tomorrow.go_live_at = NOW + timedelta(days=1)
        tomorrow.save_revision().publish()

        ArticlePageFactory(
            parent=section, title="Курс рубля укрепился", published_at=NOW - timedelta(minutes=20)
        )
        ArticlePageFactory(parent=section, title="Утренняя новость", published_at=NOW - timedelta(hours=3))

        client.force_login(UserFactory(role=roles.EDITOR))
        waiting, scheduled, published = desk(client)
    assert waiting == ["15:00 Биржа открылась ростом"]
    assert scheduled == ["19:30 Вечерний обзор рынков"]
    assert published == ["14:40 Курс рубля укрепился"]


def test_an_empty_desk_says_so_in_russian(client, newsroom, section):
    client.force_login(UserFactory(role=roles.EDITOR))
    html = client.get("/admin/").content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one(".newsroom-desk")
    assert panel.select_one("h2").get_text(strip=True) == "На дежурстве"
    assert [p.get_text(strip=True) for p in panel.select(".newsroom-desk__empty")] == [
        "Проверки ничего не ждёт.",
        "На сегодня больше ничего не запланировано.",
        "За последний час ничего не вышло.",
    ]


def test_the_desk_leaves_out_what_is_not_its_business(client, newsroom, section):
    with time_machine.travel(NOW, tick=False):
        # Went live an hour and a minute ago: no longer the last hour's.
        ArticlePageFactory(parent=section, title="Час назад", published_at=NOW - timedelta(minutes=61))
        # Published but unpublished again: not live, so not "live in the last hour".
        gone = ArticlePageFactory(
            parent=section, title="Снятая новость", published_at=NOW - timedelta(minutes=5)
        )
        gone.unpublish()
        client.force_login(UserFactory(role=roles.EDITOR))
        waiting, scheduled, published = desk(client)
    assert waiting == []
    assert scheduled == []
    assert published == []


def test_the_desk_takes_five_queries_however_full_it_is(newsroom, section, django_assert_max_num_queries):
    from polosa.newsroom.dashboard import live_in_the_last_hour, scheduled_today, waiting_for_review

    korr = UserFactory(role=roles.CORRESPONDENT)
    with time_machine.travel(NOW, tick=False):
        for n in range(12):
            submitted = draft(section, f"На проверке {n}", f"na-proverke-{n}")
            submitted.save_revision(user=korr)
            section.get_workflow().start(submitted, korr)
            later = draft(section, f"Вечером {n}", f"vecherom-{n}")
            later.go_live_at = NOW + timedelta(minutes=10 + n)
            later.save_revision().publish()
            ArticlePageFactory(
                parent=section, title=f"Только что {n}", published_at=NOW - timedelta(minutes=n)
            )
        with django_assert_max_num_queries(5):
            lists = (waiting_for_review(), scheduled_today(), live_in_the_last_hour())
    assert [len(rows) for rows in lists] == [10, 10, 10]
    assert lists[1][0]["title"] == "Вечером 0"
    assert lists[2][0]["title"] == "Только что 0"
