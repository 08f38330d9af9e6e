from datetime import UTC, datetime, timedelta

import pytest
from wagtail import hooks

from polosa.core import periodic
from polosa.core.models import PeriodicRun
from polosa.core.periodic import PeriodicJob
from testsupport import only_hooks


def declaring(*jobs):
    """Only `jobs` are declared inside the block: the apps' real jobs would start too."""
    return only_hooks(periodic.HOOK, lambda: list(jobs))


@pytest.fixture
def calls():
    seen = []
    with declaring(
        PeriodicJob("every-minute", lambda: seen.append("minute"), every=timedelta(minutes=1)),
        PeriodicJob(
            "office-hours", lambda: seen.append("office"), every=timedelta(hours=1), hours=range(12, 21)
        ),
    ):
        yield seen


@pytest.mark.django_db
def test_jobs_run_when_due_and_not_again_before_their_interval(calls):
    noon = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 12:30 in Moscow
    assert sorted(periodic.run_due_jobs(noon)) == ["every-minute", "office-hours"]
    assert periodic.run_due_jobs(noon + timedelta(seconds=30)) == []
    assert periodic.run_due_jobs(noon + timedelta(minutes=1)) == ["every-minute"]


@pytest.mark.django_db
def test_hour_window_is_in_moscow_time(calls):
    night = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    assert periodic.run_due_jobs(night) == ["every-minute"]


@pytest.mark.django_db
def test_a_worker_that_was_down_catches_up_once_and_logs_it(calls, caplog):
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    periodic.run_due_jobs(start)
    calls.clear()
    later = start + timedelta(hours=5)  # the worker was stopped for five hours
    assert sorted(periodic.run_due_jobs(later)) == ["every-minute", "office-hours"]
    assert calls.count("minute") == 1  # one catch-up run, not three hundred
    assert "overdue" in caplog.text
    assert PeriodicRun.objects.get(name="every-minute").last_run_at == later


def test_a_job_every_few_seconds_waiting_for_the_next_tick_is_not_called_overdue(db, caplog):
    from django.utils import timezone

    runs = []
    with declaring(PeriodicJob("every-two-seconds", lambda: runs.append(1), every=timedelta(seconds=2))):
        start = timezone.now()
        periodic.run_due_jobs(start)
        # A scheduler ticking every 5 s (`--schedule-interval 5`): the job is due at each tick, 5 s after
        # its last run.
        periodic.run_due_jobs(start + timedelta(seconds=5))
        assert runs == [1, 1]
        assert "overdue" not in caplog.text
        periodic.run_due_jobs(start + timedelta(minutes=10))
        assert "overdue" in caplog.text


def test_a_job_every_few_seconds_does_not_log_each_start(db, caplog):
    import logging

    from django.utils import timezone

    caplog.set_level(logging.INFO, logger="polosa.core.periodic")
    with declaring(
        PeriodicJob("every-two-seconds-quiet", lambda: None, every=timedelta(seconds=2)),
        PeriodicJob("hourly-loud", lambda: None, every=timedelta(hours=1)),
    ):
        periodic.run_due_jobs(timezone.now())
    assert "every-two-seconds-quiet started" not in caplog.text
    assert "hourly-loud started" in caplog.text


def test_a_job_declared_through_the_hook_is_scheduled_until_it_is_removed():
    job = PeriodicJob("podcasts.fetch", lambda: None, every=timedelta(minutes=5))
    with hooks.register_temporarily(periodic.HOOK, lambda: [job]):
        assert job in periodic.jobs()
    assert job not in periodic.jobs()


def test_the_apps_declare_their_jobs():
    names = [job.name for job in periodic.jobs()]
    for name in ("caching.replay_missed_invalidations", "feed.flush_reads", "newsroom.publish_scheduled"):
        assert name in names
