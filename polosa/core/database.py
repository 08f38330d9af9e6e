"""One readable line instead of a traceback when the configured database cannot be used.

`migrate` and `run_site` call `check_reachable` first: a DATABASE_URL naming a PostgreSQL database
that does not exist (the usual first step of scaling out) or a server that does not answer gives an
operator a sentence saying what to do, not a connection-pool timeout deep in a traceback.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connections

CONNECT_TIMEOUT_SECONDS = 5


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line meant for an operator."""


def check_reachable(alias: str = "default") -> None:
    """Raise DatabaseUnavailable (one readable line) when the database `alias` cannot be opened."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        _check_sqlite(connection.settings_dict["NAME"])
    elif connection.vendor == "postgresql":
        _check_postgresql(connection.get_connection_params())


def _check_sqlite(name) -> None:
    path = str(name)
    if path == ":memory:" or path.startswith("file:"):
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"the folder of the SQLite database {path} does not exist: create it (mkdir -p {folder}) "
            "or correct DATABASE_URL"
        )


def _connect(params: dict, dbname: str):
    """A direct connection (no pool) with Django's own parameters (sslmode, options, …) for `dbname`."""
    import psycopg

    options = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **params, "dbname": dbname}
    return psycopg.connect(**options)


def _reason(error: Exception) -> str:
    """psycopg's message without its "connection failed: connection to server at …" preamble."""
    text = " ".join(str(error).split())
    return text.rsplit("failed: ", 1)[-1]


def _check_postgresql(params: dict) -> None:
    import psycopg

    name = params.get("dbname") or ""
    host, port, user = params.get("host") or "localhost", params.get("port") or 5432, params.get("user") or ""
    server = f"PostgreSQL at {host}:{port}"
    try:
        _connect(params, name).close()
        return
    except psycopg.OperationalError as error:
        reason = _reason(error)
    except psycopg.Error:
        return  # not a connection failure: Django's own error says more
    # The server may answer for another database: then it is this one that is missing (the server's
    # own message is in its language, so ask the catalogue instead of reading the message).
    for maintenance in ("postgres", "template1"):
        try:
            with _connect(params, maintenance) as other:
                exists = other.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        except psycopg.Error:
            continue
        if exists is None:
            createdb = f"createdb -h {host} -p {port}" + (f" -U {user}" if user else "") + f" {name}"
            raise DatabaseUnavailable(
                f'{server} has no database "{name}": create it ({createdb}, or CREATE DATABASE "{name}"; '
                "as a user allowed to) and run the command again"
            )
        break
    who = user or "(no user)"
    raise DatabaseUnavailable(f'cannot open the database "{name}" on {server} as {who}: {reason}')
