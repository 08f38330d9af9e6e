"""The worker with outbound connections refused: with the demo's settings it asks nobody,
and with the hourly fetch turned on a failed fetch is one clear log line, not a traceback.

`manage.py run_worker` runs for a few seconds in a fresh interpreter with the demo settings
(polosa.settings.dev), a throwaway SQLite file and an in-memory cache; every outbound connection is
refused and recorded.
"""

import re

from polosa.core.tests.test_settings import run_with_dotenv

RUN_WORKER = """
import os, signal, socket, threading
attempts = []
def refuse(address, *args, **kwargs):
    attempts.append(address)
    raise ConnectionRefusedError(111, "Connection refused")
socket.create_connection = refuse
socket.socket.connect = lambda self, address: refuse(address)
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
no_migrations = {config.label: None for config in apps.get_app_configs()}
with override_settings(CACHES=local, MIGRATION_MODULES=no_migrations):
    call_command("migrate", run_syncdb=True, verbosity=0)
    threading.Timer(SECONDS, os.kill, (os.getpid(), signal.SIGTERM)).start()
    try:
        call_command("run_worker", interval=0.2, schedule_interval=1.0)
    except SystemExit:  # how the worker ends on SIGTERM when it is between tasks
        pass
print("outbound attempts:", attempts)
"""


def run_worker(tmp_path, seconds=6, **env):
    return run_with_dotenv(
        "",
        "polosa.settings.dev",
        RUN_WORKER.replace("SECONDS", str(seconds)),
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        LOG_LEVEL="INFO",
        # Every hour of the day, so the import is due whenever the test runs.
        POLOSA_RATES_HOURS=",".join(str(hour) for hour in range(24)),
        POLOSA_RATES_BACKOFF="0",
        **env,
    )


def test_the_demo_worker_makes_no_outbound_request(tmp_path):
    result = run_worker(tmp_path, POLOSA_RATES_FETCH="")
    assert result.returncode == 0, result.stderr
    assert "outbound attempts: []" in result.stdout
    jobs = re.search(r"recurring jobs: (.*)", result.stderr).group(1)
    assert "newsroom.publish_scheduled" in jobs
    assert "rates.import" not in jobs
    assert "Traceback" not in result.stderr


def test_a_refused_fetch_is_one_clear_log_line(tmp_path):
    result = run_worker(tmp_path, POLOSA_RATES_FETCH="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("('www.cbr.ru', 443)") == 3  # it did try, as often as configured
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if re.search(r" (WARNING|ERROR|CRITICAL) ", line)]
    rates = [line for line in problems if "rates" in line]
    assert len(rates) == 1, result.stderr
    assert re.search(
        r"ERROR polosa\.rates: rates: import failed, nothing stored: could not fetch "
        r"https://www\.cbr\.ru/scripts/XML_daily\.asp\?date_req=\d\d/\d\d/\d{4}: "
        r"ConnectionRefusedError: \[Errno 111\] Connection refused$",
        rates[0],
    ), rates[0]
