"""The worker outlives a database outage instead of exiting."""

import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError

from polosa.core.management.commands import run_worker


def test_a_database_outage_does_not_end_the_worker(monkeypatch, caplog):
    runs = []

    class FlakyWorker:
        running = True

        def __init__(self, **kwargs):
            pass

        def configure_signals(self):
            pass

        def run(self):
            runs.append(1)
            if len(runs) < 3:
                raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(run_worker, "Worker", FlakyWorker)
    monkeypatch.setattr(run_worker, "RETRY_SECONDS", 0.01)
    with caplog.at_level(logging.ERROR, logger="polosa.worker"):
        call_command("run_worker", "--no-schedule")
    assert len(runs) == 3
    assert sum("database unavailable" in r.getMessage() for r in caplog.records) == 2


def test_a_worker_stopping_on_a_signal_still_ends(monkeypatch):
    class StoppedWorker:
        running = False

        def __init__(self, **kwargs):
            pass

        def configure_signals(self):
            pass

        def run(self):
            raise OperationalError("the connection is closed")

    monkeypatch.setattr(run_worker, "Worker", StoppedWorker)
    with pytest.raises(OperationalError):
        call_command("run_worker", "--no-schedule")


def test_the_default_scheduler_tick_keeps_a_dropped_wire_file_within_five_seconds_of_the_inbox():
    from polosa.core.management.commands.run_worker import Command
    from polosa.wire.tasks import watch_interval
    from polosa.wire.transports import settle_seconds

    options = Command().create_parser("manage.py", "run_worker").parse_args([])
    # Worst case: the file lands just after a look, settles, and waits for the next tick.
    worst = settle_seconds() + options.schedule_interval + watch_interval().total_seconds()
    assert worst < 5


def test_the_task_worker_is_built_with_the_constructor_django_tasks_db_has():
    worker = run_worker.task_worker(1.5)
    assert worker.interval == 1.5
    assert callable(worker.run)
    assert callable(worker.configure_signals)
