"""Recurring background work, run by the project's own worker (`manage.py run_worker`).

Apps declare what must run regularly under Wagtail's hook ``polosa_periodic_jobs`` in their
``wagtail_hooks.py``: a function returning the app's jobs, asked again on every scheduler tick (so a
job may depend on settings, and an app may declare none)::

    from wagtail import hooks

    from polosa.core.periodic import PeriodicJob

    @hooks.register("polosa_periodic_jobs")
    def periodic_jobs():
        return [PeriodicJob("rates.import", import_rates, every=timedelta(hours=1), hours=range(12, 21))]

The scheduler enqueues a declared task when it is due, remembers the last run in the database
(so a restarted worker catches up at once instead of waiting a whole interval, and two workers
do not both enqueue it), and logs each enqueue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "polosa_periodic_jobs"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Callable[[], object]  # a django-tasks Task, or a plain callable run in the scheduler thread
    every: timedelta
    # The local hours the job may start in (any iterable of hours, kept as a frozenset); None: always.
    hours: frozenset[int] | None = field(default=None)

    def __post_init__(self):
        if self.hours is not None and not isinstance(self.hours, frozenset):
            object.__setattr__(self, "hours", frozenset(self.hours))

    def active_at(self, moment: datetime) -> bool:
        return self.hours is None or timezone.localtime(moment).hour in self.hours

    def due(self, last_run: datetime | None, moment: datetime) -> bool:
        if not self.active_at(moment):
            return False
        return last_run is None or moment - last_run >= self.every


def jobs() -> list[PeriodicJob]:
    """Every job the apps declare, in hook order; a later job of the same name replaces an earlier one."""
    found: dict[str, PeriodicJob] = {}
    for declared in hooks.get_hooks(HOOK):
        for job in declared():
            found[job.name] = job
    return list(found.values())


def _start(job: PeriodicJob) -> None:
    enqueue: Callable | None = getattr(job.task, "enqueue", None)
    if enqueue is not None:
        enqueue()
    else:
        job.task()


# Below this, a job that missed its time was only waiting for the scheduler's next tick.
LATE_AFTER = timedelta(minutes=1)
# Jobs more frequent than this start without an INFO line each time.
QUIET_BELOW = timedelta(minutes=1)


def run_due_jobs(moment: datetime | None = None) -> list[str]:
    """Enqueue every job that is due at `moment`; return their names."""
    from .models import PeriodicRun

    moment = moment or timezone.now()
    started = []
    for job in jobs():
        with transaction.atomic():
            run, _created = PeriodicRun.objects.select_for_update().get_or_create(name=job.name)
            if not job.due(run.last_run_at, moment):
                continue
            previous = run.last_run_at
            # A job that runs every few seconds is always a scheduler tick "late": only a real gap
            # (a stopped worker) is worth a warning.
            late = previous is not None and moment - previous > max(job.every * 2, LATE_AFTER)
            run.last_run_at = moment
            run.save(update_fields=["last_run_at"])
        if late:
            logger.warning("periodic job %s was overdue (last run %s); catching up now", job.name, previous)
        try:
            _start(job)
        except Exception:
            logger.exception("periodic job %s failed to start", job.name)
            continue
        # A job every few seconds (the wire folders) would fill the log with one line a tick.
        level = logging.DEBUG if job.every < QUIET_BELOW else logging.INFO
        logger.log(level, "periodic job %s started", job.name)
        started.append(job.name)
    return started
