"""The worker's wire jobs: a look at the watched folders every few seconds, and the feed polls.

The folder look is a plain function, run in the scheduler's own thread: it is cheap when nothing
arrived, and not waiting for a queue slot keeps an item's way from the folder to the inbox short
(`run_worker --schedule-interval 2` for the < 5 s target). Feed polling goes through the task queue,
because a feed that stalls holds its job for up to the fetch deadline.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django_tasks import task

from . import transports

logger = logging.getLogger("polosa.wire")


def watch_interval() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "POLOSA_WIRE_WATCH_SECONDS", 2)))


def poll_check_interval() -> timedelta:
    # Each feed has its own interval; this is only how often the worker checks which are due.
    return timedelta(seconds=float(getattr(settings, "POLOSA_WIRE_POLL_CHECK_SECONDS", 30)))


def watch_folders() -> int:
    return transports.watch_folders()


@task()
def poll_feeds() -> int:
    return transports.poll_due_feeds()
