"""Scheduled publishing and expiry, run by the project's worker every 30 seconds.

The logic is Wagtail's own `publish_scheduled` command (unpublish what has expired, publish each
revision whose approved go-live time has passed, through Wagtail's actions so signals, the audit log
and the cache invalidation run as for a publish by hand), called as a function so the worker's
recurring job can run it without cron. Written by hand on top of it: the log lines, and a warning
for every item that went live or expired later than `POLOSA_SCHEDULE_LATE_SECONDS` after its time,
which is what happens when the worker was down and catches up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)


@dataclass
class ScheduleRun:
    """What one run did: object descriptions, and how late the late ones were."""

    published: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    late: list[tuple[str, timedelta]] = field(default_factory=list)


def _describe(obj) -> str:
    return f"{type(obj).__name__} {obj.pk} «{obj}»"


def _draft_state_models() -> list:
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def _note_lateness(run: ScheduleRun, what: str, due: datetime, now: datetime) -> None:
    lateness = now - due
    if lateness > timedelta(seconds=settings.POLOSA_SCHEDULE_LATE_SECONDS):
        run.late.append((what, lateness))
        logger.warning(
            "caught up late: %s was due at %s, done at %s (%d s late; was the worker down?)",
            what,
            timezone.localtime(due).isoformat(),
            timezone.localtime(now).isoformat(),
            lateness.total_seconds(),
        )


def publish_scheduled() -> ScheduleRun:
    """Unpublish every live object whose expiry has passed, then publish every revision due now."""
    now = timezone.now()
    run = ScheduleRun()

    for model in _draft_state_models():
        for obj in list(model.objects.filter(live=True, expire_at__lte=now).order_by("expire_at")):
            obj = obj.specific if isinstance(obj, Page) else obj
            what = _describe(obj)
            due = obj.expire_at
            try:
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            except Exception:
                logger.exception("could not unpublish expired %s", what)
                continue
            run.expired.append(what)
            logger.info("expired and unpublished %s (expiry %s)", what, timezone.localtime(due).isoformat())
            _note_lateness(run, what, due, now)

    due_revisions = Revision.objects.filter(approved_go_live_at__lte=now).order_by("approved_go_live_at")
    for revision in list(due_revisions):
        due = revision.approved_go_live_at
        what = f"{revision.content_type.model_class().__name__} {revision.object_id} «{revision.object_str}»"
        try:
            revision.publish(log_action="wagtail.publish.scheduled")
        except Exception:
            logger.exception("could not publish scheduled %s", what)
            continue
        run.published.append(what)
        logger.info("published scheduled %s (due %s)", what, timezone.localtime(due).isoformat())
        _note_lateness(run, what, due, now)
    return run
