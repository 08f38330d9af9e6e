"""Create the demo editor account once and print how to log in."""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connections

_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
DEMO_FILE_NAME = "editor-password.txt"


def password_file(database: dict) -> Path:
    """Where the generated password for `database` (a DATABASES entry) is kept: one file per
    database, so running against PostgreSQL (or another SQLite file) never replaces the demo's
    password, or the reverse.

    `var/editor-password.txt` for the demo's SQLite file (`var/polosa.sqlite3`),
    `var/editor-password-postgresql-<name>.txt` for a PostgreSQL database on this machine,
    `…-postgresql-<name>-<host>.txt` for one on another, `…-sqlite-<file name>.txt` for another SQLite file.
    """
    var_dir = Path(settings.VAR_DIR)
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3"):
        if Path(name) == var_dir / "polosa.sqlite3":
            return var_dir / DEMO_FILE_NAME
        key = f"sqlite-{Path(name).stem}"
    else:
        host = str(database.get("HOST") or "")
        vendor = database["ENGINE"].rsplit(".", 1)[-1]
        key = f"{vendor}-{name}" if host in _LOCAL_HOSTS else f"{vendor}-{name}-{host}"
    key = re.sub(r"[^A-Za-z0-9_.-]+", "-", key).strip("-.")
    return var_dir / f"editor-password-{key}.txt"


def _keep(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)


def _kept_password(path: Path, user) -> str | None:
    """The password in `path` if it is still this user's (not changed since, not another database's)."""
    if not path.is_file():
        return None
    password = path.read_text().strip()
    return password if password and user.check_password(password) else None


class Command(BaseCommand):
    help = "Create an administrator account for the newsroom if there is none, and print its login."

    def handle(self, *args, **options):
        user_model = get_user_model()
        username = settings.POLOSA_EDITOR_USERNAME
        path = password_file(connections["default"].settings_dict)
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = settings.POLOSA_EDITOR_PASSWORD or secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                username=username, email=f"{username}@example.org", password=password
            )
            _keep(path, password)
        else:
            password = _kept_password(path, user)
            # Earlier versions kept every database's password in the demo's file: adopt it if it is
            # this database's.
            shared = Path(settings.VAR_DIR) / DEMO_FILE_NAME
            if password is None and path != shared and (password := _kept_password(shared, user)):
                _keep(path, password)
            if password is None:
                password = (
                    "(the one set when the account was created, or changed since; "
                    f"manage.py changepassword {username} sets a new one)"
                )
        kept = f"  (kept in {path})" if path.is_file() else ""
        self.stdout.write(f"Newsroom login: /admin/  user: {username}  password: {password}{kept}")
