"""The checkout's optional `.env` file, read by the dev and production settings, never by the tests.

Values already in the process environment win over the file, and an empty value in the file
(`SECRET_KEY=` as `.env.example` has it) counts as unset, so the setting keeps its default: the dev
settings their development key, while production still refuses to start without a real one. The test
settings do not call `load`, so whatever a developer's `.env` holds (a real SECRET_KEY, DATABASE_URL,
REDIS_URL) never changes what the tests run against; CI passes those through the real environment.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

import environ

PATH = Path(__file__).resolve().parent.parent.parent / ".env"


def read(path: Path) -> dict[str, str]:
    """The file's non-empty values ({} without a file), parsed as django-environ parses them."""
    if not path.is_file():
        return {}
    # read_env writes into the class's ENVIRON; a throwaway subclass keeps it off os.environ.
    collector = type("DotEnvFile", (environ.Env,), {"ENVIRON": {}})
    collector.read_env(path, overwrite=True)
    return {name: value for name, value in collector.ENVIRON.items() if value != ""}


def load(path: Path | None = None, into: MutableMapping[str, str] | None = None) -> None:
    """Add the file's non-empty values to the environment, leaving variables already set alone."""
    target = os.environ if into is None else into
    for name, value in read(PATH if path is None else path).items():
        target.setdefault(name, value)
