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
