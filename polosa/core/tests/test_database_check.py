"""A database that cannot be used gives one readable line, not a traceback.

`migrate` and `run_site` run in a fresh interpreter against a DATABASE_URL that names a database
which does not exist, or a server that is not there.
"""

import os
import socket
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from .test_settings import run_manage


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgresql_server():
    """A PostgreSQL server URL to ask: the one the suite runs against, else a local one; None if none."""
    psycopg = pytest.importorskip("psycopg")
    configured = os.environ.get("DATABASE_URL", "")
    url = (
        configured
        if configured.startswith(("postgres://", "postgresql://"))
        else "postgres://postgres@127.0.0.1:5432/postgres"
    )
    parts = urlsplit(url)
    try:
        psycopg.connect(urlunsplit(parts._replace(scheme="postgresql")), connect_timeout=3).close()
    except psycopg.Error:
        return None
    return parts


def one_line(result):
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [("migrate", "--noinput"), ("run_site", "--port", "0")])
def test_a_missing_postgresql_database_is_named_with_how_to_create_it(command):
    server = postgresql_server()
    if server is None:
        pytest.skip("no PostgreSQL server to ask (set DATABASE_URL to one)")
    name = f"polosa_missing_{uuid.uuid4().hex[:8]}"
    missing = urlunsplit(server._replace(path=f"/{name}"))
    line = one_line(run_manage(*command, DATABASE_URL=missing, DJANGO_SETTINGS_MODULE="polosa.settings.dev"))
    assert line.startswith("CommandError: PostgreSQL at ")
    assert f'has no database "{name}": create it (createdb ' in line
    assert f" {name}, or CREATE DATABASE" in line


def test_a_postgresql_server_that_does_not_answer_is_said_so():
    url = f"postgres://polosa@127.0.0.1:{closed_port()}/polosa"
    line = one_line(
        run_manage("migrate", "--noinput", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="polosa.settings.dev")
    )
    assert line.startswith('CommandError: cannot open the database "polosa" on PostgreSQL at 127.0.0.1:')
    assert "Connection refused" in line


def test_a_sqlite_file_in_a_missing_folder_is_said_so(tmp_path):
    url = f"sqlite:///{tmp_path / 'nowhere' / 'polosa.sqlite3'}"
    line = one_line(
        run_manage("migrate", "--noinput", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="polosa.settings.dev")
    )
    assert (
        f"the folder of the SQLite database {tmp_path / 'nowhere' / 'polosa.sqlite3'} does not exist" in line
    )
