"""The editor login `make run` prints belongs to the database it runs against."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from polosa.core.management.commands.ensure_editor import password_file

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


def ensure_editor():
    out = StringIO()
    call_command("ensure_editor", stdout=out)
    return out.getvalue()


def printed_password(output):
    return output.split("password: ", 1)[1].split("  (kept in", 1)[0].strip()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_each_database_has_a_password_file_of_its_own(var_dir):
    names = [
        password_file({"ENGINE": SQLITE, "NAME": str(var_dir / "polosa.sqlite3")}).name,
        password_file({"ENGINE": SQLITE, "NAME": "/srv/other.sqlite3"}).name,
        password_file({"ENGINE": POSTGRESQL, "NAME": "polosa", "HOST": "127.0.0.1"}).name,
        password_file({"ENGINE": POSTGRESQL, "NAME": "polosa", "HOST": "db.internal"}).name,
        password_file({"ENGINE": POSTGRESQL, "NAME": "polosa_staging", "HOST": ""}).name,
    ]
    assert names == [
        "editor-password.txt",  # the demo's, as before
        "editor-password-sqlite-other.txt",
        "editor-password-postgresql-polosa.txt",
        "editor-password-postgresql-polosa-db.internal.txt",
        "editor-password-postgresql-polosa_staging.txt",
    ]
    assert password_file({"ENGINE": SQLITE, "NAME": "/x/y.sqlite3"}).parent == var_dir


@pytest.mark.django_db
def test_a_second_database_leaves_the_demos_password_alone(var_dir):
    demo_file = var_dir / "editor-password.txt"
    demo_file.write_text("the-demo-database-password\n")

    output = ensure_editor()  # the test database is not the demo's SQLite file

    assert demo_file.read_text() == "the-demo-database-password\n"
    password = printed_password(output)
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password)
    kept = [path for path in var_dir.iterdir() if path != demo_file]
    assert len(kept) == 1
    assert kept[0].read_text().strip() == password
    assert f"(kept in {kept[0]})" in output
    assert printed_password(ensure_editor()) == password  # a second run prints the same


@pytest.mark.django_db
def test_a_password_file_that_is_not_this_accounts_is_never_shown(var_dir, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "set-elsewhere-1234")
    (var_dir / "editor-password.txt").write_text("another-databases-password\n")

    output = ensure_editor()

    assert "another-databases-password" not in output
    assert "changepassword editor" in output


@pytest.mark.django_db
def test_the_shared_file_of_earlier_versions_is_adopted_when_it_is_this_accounts(var_dir, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "from-the-old-file-1234")
    (var_dir / "editor-password.txt").write_text("from-the-old-file-1234\n")

    assert printed_password(ensure_editor()) == "from-the-old-file-1234"
    assert [p.name for p in var_dir.iterdir() if p.name != "editor-password.txt"] == [
        password_file(connections["default"].settings_dict).name
    ]
