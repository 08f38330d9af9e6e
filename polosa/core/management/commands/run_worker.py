"""The background worker: runs queued tasks and starts recurring jobs when they are due."""

import logging
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from polosa.core import periodic

logger = logging.getLogger("polosa.worker")

RETRY_SECONDS = 2.0


def task_worker(interval: float) -> Worker:
    """django-tasks-db's worker, built the way its db_worker command builds it (that command would
    exit on the first database outage). The only place that knows its constructor; pinned below 0.14,
    and test_worker builds a real one so an upgrade that changes it fails there."""
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="polosa-worker",
        excluded_queue_names=[],
    )


class Command(BaseCommand):
    help = "Run queued background tasks and the recurring jobs (rates import, scheduled publishing, …)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between checks for new tasks."
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=2.0,
            # A file dropped in a wire folder is in the inbox within 5 s (settle time + one tick).
            help="Seconds between schedule checks.",
        )
        parser.add_argument("--no-schedule", action="store_true", help="Only run queued tasks.")

    def handle(self, *args, **options):
        stop = threading.Event()
        if not options["no_schedule"]:
            names = ", ".join(job.name for job in periodic.jobs()) or "none"
            logger.info("recurring jobs: %s", names)
            scheduler = threading.Thread(
                target=self._schedule,
                args=(stop, options["schedule_interval"]),
                name="scheduler",
                daemon=True,
            )
            scheduler.start()
        worker = task_worker(options["interval"])
        worker.configure_signals()
        try:
            while True:
                try:
                    worker.run()
                except DatabaseError as error:
                    if not worker.running:
                        raise
                    # A database outage must not end the worker: queued and scheduled work waits.
                    logger.error(
                        "database unavailable (%s); the worker tries again in %s s", error, RETRY_SECONDS
                    )
                    connections.close_all()
                    time.sleep(RETRY_SECONDS)
                    continue
                break  # stopped by a signal
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                periodic.run_due_jobs()
            except Exception:
                logger.exception("the scheduler failed; trying again in %s s", interval)
            finally:
                close_old_connections()
            stop.wait(interval)
