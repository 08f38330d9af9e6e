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
