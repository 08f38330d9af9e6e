"""Maintain the Russian translation files: `python -m polosa.core.i18n_tools update|compile|check`.

Each app keeps its own catalogue in ``polosa/<app>/locale`` so apps never edit each other's files;
``polosa/locale`` holds the strings of the shared templates and settings. Compiled ``.mo`` files are
committed so a newcomer needs no gettext tools; ``compile`` uses polib, ``update`` needs GNU gettext.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent
LANGUAGES = ["ru"]


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.glob("*/apps.py"))


def catalogues() -> list[Path]:
    return sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))


def update() -> None:
    # -P: the app's folder must not shadow top-level modules (polosa/caching/redis.py and redis).
    django_admin = [
        sys.executable,
        "-P",
        "-m",
        "django",
        "makemessages",
        "--no-obsolete",
        "--add-location=file",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polosa.settings.dev", "PYTHONPATH": str(PACKAGE.parent)}
    for language in LANGUAGES:
        for app in app_dirs():
            (app / "locale").mkdir(exist_ok=True)
            subprocess.run([*django_admin, "-l", language], cwd=app, check=True, env=env)  # noqa: S603
        ignores = [f"--ignore={app.name}/*" for app in app_dirs()]
        subprocess.run([*django_admin, "-l", language, *ignores], cwd=PACKAGE, check=True, env=env)  # noqa: S603


def compile_all() -> None:
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def problems() -> list[str]:
    """Untranslated or fuzzy entries, and compiled files that do not match their sources."""
    found = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        rel = po_path.relative_to(PACKAGE.parent)
        found += [f"{rel}: untranslated {e.msgid!r}" for e in po.untranslated_entries()]
        found += [f"{rel}: fuzzy {e.msgid!r}" for e in po.fuzzy_entries()]
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{rel}: not compiled")
            continue
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_path))
        }
        source = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in po.translated_entries()
        }
        if compiled != source:
            found.append(f"{rel}: the .mo file is out of date (run `make messages`)")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        issues = problems()
        print("\n".join(issues) or "translations complete")  # noqa: T201
        sys.exit(1 if issues else 0)
