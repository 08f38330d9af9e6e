"""Scheduled publishing and expiry through the worker's recurring job, on a controlled clock."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import Revision

from polosa.core import periodic
from polosa.news.models import ArticlePage
from polosa.news.tests.factories import ArticlePageFactory
from polosa.newsroom import roles, scheduling

from .admin_forms import article_form
from .factories import UserFactory

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


def at(hour, minute=0, second=0):
    return datetime(2026, 12, 1, hour, minute, second, tzinfo=MSK)


@pytest.fixture
def editor(newsroom):
    return UserFactory(role=roles.EDITOR)


def schedule_draft(client, section, editor, go_live="2026-12-01 14:00", expire=""):
    """An editor schedules a colleague's draft in the admin, entering Moscow time."""
    draft = ArticlePageFactory(
        parent=section,
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        title="Мэрия объявила о новом парке",
        slug="novyj-park",
    )
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        article_form(
            draft.title, draft.slug, go_live_at=go_live, expire_at=expire, **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    client.logout()
    return draft


def is_live(page):
    return ArticlePage.objects.get(pk=page.pk).live


def test_the_job_runs_from_the_worker_every_30_seconds():
    job = next(j for j in periodic.jobs() if j.name == "newsroom.publish_scheduled")
    assert job.every <= timedelta(seconds=30)
    assert job.hours is None


def test_time_entered_in_moscow_is_stored_as_utc(client, section, editor):
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor)
    revision = Revision.page_revisions.get(object_id=str(draft.pk), approved_go_live_at__isnull=False)
    assert revision.approved_go_live_at == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert not is_live(draft)


def test_scheduled_article_is_live_within_a_minute_of_its_time(client, section, editor, caplog):
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor)
        periodic.run_due_jobs()
    assert not is_live(draft)
    with time_machine.travel(at(13, 59, 50), tick=False):
        periodic.run_due_jobs()
    assert not is_live(draft)
    with time_machine.travel(at(14, 0, 25), tick=False), caplog.at_level(logging.INFO):
        periodic.run_due_jobs()
        assert is_live(draft)
        assert client.get("/news/").content.decode().count("Мэрия объявила о новом парке") >= 1
    assert not [r for r in caplog.records if "caught up late" in r.getMessage()]
    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.published_at == at(14, 0, 25)


def test_a_missed_schedule_is_caught_up_when_the_worker_returns_and_logged(client, section, editor, caplog):
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor)
        periodic.run_due_jobs()
    # The worker was down from 13:00 to 14:25.
    with time_machine.travel(at(14, 25), tick=False), caplog.at_level(logging.INFO):
        periodic.run_due_jobs()
    assert is_live(draft)
    late = [r.getMessage() for r in caplog.records if "caught up late" in r.getMessage()]
    assert len(late) == 1
    assert "Мэрия объявила о новом парке" in late[0]
    assert "1500 s late" in late[0]
    assert any("overdue" in r.getMessage() for r in caplog.records)


def test_expiry_unpublishes_and_the_address_answers_gone(client, section, editor):
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor, go_live="", expire="2026-12-01 15:00")
        assert is_live(draft)
        url = ArticlePage.objects.get(pk=draft.pk).url
        assert client.get(url).status_code == 200
        assert "Мэрия объявила о новом парке" in client.get("/news/").content.decode()
        assert "Мэрия объявила о новом парке" in client.get(section.url).content.decode()
    with time_machine.travel(at(14, 59, 50), tick=False):
        scheduling.publish_scheduled()
        assert is_live(draft)
    with time_machine.travel(at(15, 0, 20), tick=False):
        run = scheduling.publish_scheduled()
        assert len(run.expired) == 1
        assert not run.late
        assert not is_live(draft)
        assert ArticlePage.objects.get(pk=draft.pk).expired
        assert client.get(url).status_code == 410
        assert "Мэрия объявила о новом парке" not in client.get("/news/").content.decode()
        assert "Мэрия объявила о новом парке" not in client.get(section.url).content.decode()


def test_a_failing_publish_is_logged_and_the_rest_still_run(section, caplog, monkeypatch):
    first = ArticlePageFactory(parent=section, live=False, published_at=None, first_published_at=None)
    second = ArticlePageFactory(parent=section, live=False, published_at=None, first_published_at=None)
    with time_machine.travel(at(13), tick=False):
        for page in (first, second):
            page.go_live_at = at(14)
            page.save_revision().publish()
    original = Revision.publish

    def flaky(self, *args, **kwargs):
        if self.object_id == str(first.pk):
            raise RuntimeError("storage unavailable")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", flaky)
    with time_machine.travel(at(14, 0, 10), tick=False), caplog.at_level(logging.ERROR):
        run = scheduling.publish_scheduled()
    assert not is_live(first)
    assert is_live(second)
    assert len(run.published) == 1
    assert any("could not publish scheduled" in r.getMessage() for r in caplog.records)
    # Nothing is lost: the revision is still scheduled and goes out on the next run.
    monkeypatch.setattr(Revision, "publish", original)
    with time_machine.travel(at(14, 0, 40), tick=False):
        scheduling.publish_scheduled()
    assert is_live(first)


# --- What the editor types and sees ---------------------------------------------------------------


def scheduled_at(draft):
    revision = Revision.page_revisions.get(object_id=str(draft.pk), approved_go_live_at__isnull=False)
    return revision.approved_go_live_at


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01.12.2026 18:30", at(18, 30)),
        ("  01.12.2026   18:30 ", at(18, 30)),
        ("01.12.2026, 18:30", at(18, 30)),
        ("01.12.26 18:30", at(18, 30)),
        # Never rounded: minutes and seconds are kept as typed.
        ("01.12.2026 18:37:20", at(18, 37, 20)),
    ],
)
def test_a_time_typed_the_russian_way_is_taken_as_moscow_time(client, section, editor, typed, expected):
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor, go_live=typed)
    assert scheduled_at(draft) == expected


def test_an_unreadable_time_is_refused_with_the_expected_format(client, section, editor):
    draft = ArticlePageFactory(parent=section, slug="park", title="Мэрия объявила о новом парке")
    client.force_login(editor)
    with time_machine.travel(at(13), tick=False):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
            article_form(draft.title, draft.slug, go_live_at="завтра в 18:30", **{"action-publish": "1"}),
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ДД.ММ.ГГГГ ЧЧ:ММ" in html
    assert "03.12.2026 18:30" in html
    assert not Revision.page_revisions.filter(object_id=str(draft.pk), approved_go_live_at__isnull=False)


def test_the_form_states_the_zone_and_shows_times_in_it_whatever_the_editors_own_zone(
    client, section, editor
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.current_time_zone = "Asia/Vladivostok"
    profile.save()
    with time_machine.travel(at(13), tick=False):
        draft = schedule_draft(client, section, editor, go_live="01.12.2026 18:30:15")
        client.force_login(editor)
        html = client.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,))).content.decode()
    assert "московское время, UTC+3" in html
    assert 'value="01.12.2026 18:30:15"' in html
    # Typed text is left for the server to judge; the picker's list steps by five minutes.
    assert "&quot;validateOnBlur&quot;: false" in html or '"validateOnBlur": false' in html
