"""Settings fail loudly where they must and pass Django's deployment checks in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    # Only what a real deployment would have: the browser fixture's async override must not leak in.
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "polosa.settings.production"}
A_SECRET = secrets.token_urlsafe(50)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **PRODUCTION, ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", **PRODUCTION, SECRET_KEY=A_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SECRET_KEY=A_SECRET,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_postgresql_connections_come_from_a_bounded_pool_not_per_thread():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['OPTIONS']['pool']['max_size'])",
        **PRODUCTION,
        SECRET_KEY=A_SECRET,
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL="postgres://polosa@db.internal:5432/polosa",
        DATABASE_POOL_MAX="7",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["0", "7"]


@pytest.mark.django_db
def test_reader_pages_get_a_strict_content_security_policy(client, article_factory):
    response = client.get(article_factory().url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_embedded_defaults_need_no_services():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Moscow"
    assert settings.LANGUAGE_CODE == "ru"


# --- The .env file ----------------------------------------------------------------------------------
# Settings are imported in a fresh interpreter whose .env is a temporary file (the checkout's own .env,
# if there is one, is never read or written by these tests).

LEAKY_DOTENV = (
    "SECRET_KEY=a-real-key-from-dotenv-that-must-never-reach-the-tests-000000000\n"
    "DATABASE_URL=postgres://leak@db.internal:5432/production\n"
    "REDIS_URL=redis://leak.internal:6379/0\n"
)
SHOW_SETTINGS = (
    "from django.conf import settings; db = settings.DATABASES['default']; "
    "print(settings.SECRET_KEY, db['ENGINE'], db['NAME'], settings.CACHES['default']['BACKEND'])"
)


def run_with_dotenv(dotenv_text, settings_module, code, tmp_path, **env):
    """Run `code` after django.setup() with `settings_module`, as if `dotenv_text` were the .env file."""
    dotenv = tmp_path / "dotenv"
    dotenv.write_text(dotenv_text, encoding="utf-8")
    program = (
        "import sys; from pathlib import Path; from polosa.settings import dotenv; "
        "dotenv.PATH = Path(sys.argv[1]); import django; django.setup(); " + code
    )
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", program, str(dotenv)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_empty_value_in_dotenv_counts_as_unset(tmp_path):
    from polosa.settings import dotenv

    path = tmp_path / ".env"
    path.write_text(
        "# comment\nSECRET_KEY=\nREDIS_URL=''\nexport SITE_NAME=Полоса\nDEBUG=true\n# DATABASE_URL=x\n",
        encoding="utf-8",
    )
    assert dotenv.read(path) == {"SITE_NAME": "Полоса", "DEBUG": "true"}
    environ = {"DEBUG": "false"}
    dotenv.load(path, environ)
    assert environ == {"DEBUG": "false", "SITE_NAME": "Полоса"}  # the real environment wins
    assert dotenv.read(tmp_path / "missing") == {}


def test_manage_check_passes_with_dotenv_copied_from_the_example(tmp_path):
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    result = run_with_dotenv(
        example,
        "polosa.settings.dev",
        "from django.core.management import call_command; call_command('check'); " + SHOW_SETTINGS,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert result.stdout.split()[-4].startswith("polosa-embedded-development-key")  # the dev default


def test_production_still_refuses_an_empty_secret_key_from_dotenv(tmp_path):
    result = run_with_dotenv(
        "SECRET_KEY=\nALLOWED_HOSTS=news.example.org\n", "polosa.settings.production", "", tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_dotenv_reaches_the_dev_settings_but_never_the_test_settings(tmp_path):
    dev = run_with_dotenv(LEAKY_DOTENV, "polosa.settings.dev", SHOW_SETTINGS, tmp_path)
    assert dev.returncode == 0, dev.stderr
    assert dev.stdout.split()[0].startswith("a-real-key-from-dotenv")

    tests = run_with_dotenv(LEAKY_DOTENV, "polosa.settings.test", SHOW_SETTINGS, tmp_path)
    assert tests.returncode == 0, tests.stderr
    key, engine, name, cache = tests.stdout.split()
    assert key.startswith("polosa-test-key")
    assert (engine, name) == ("django.db.backends.sqlite3", ":memory:")
    assert cache == "django.core.cache.backends.locmem.LocMemCache"


def test_test_settings_take_database_and_redis_from_the_real_environment(tmp_path):
    # What .ci/run does for its PostgreSQL + Redis run.
    result = run_with_dotenv(
        LEAKY_DOTENV,
        "polosa.settings.test",
        SHOW_SETTINGS,
        tmp_path,
        DATABASE_URL="postgres://ci@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    key, engine, name, cache = result.stdout.split()
    assert key.startswith("polosa-test-key")
    assert (engine, name) == ("polosa.core.postgresql", "postgres")  # server-side binding, see settings
    assert cache == "polosa.caching.redis.PolosaRedisCache"
