"""The demo (`make run`, polosa.settings.dev) answers like the real site: its own Russian error pages,
and static files without a collectstatic step. DEBUG=true is the developer's switch."""

from .test_settings import run_with_dotenv

# The dev settings in a fresh interpreter, on a throwaway SQLite file (tables without the slow
# migrations) and an in-memory cache, so the checkout's demo database and var/cache stay untouched.
REQUEST = """
from django.core.management import call_command
from django.apps import apps
from django.test import Client, override_settings
local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
no_migrations = {config.label: None for config in apps.get_app_configs()}
with override_settings(CACHES=local, MIGRATION_MODULES=no_migrations):
    call_command("migrate", run_syncdb=True, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1:8000", raise_request_exception=False)
    missing = client.get("/no-such-page/")
    print("404:", missing.status_code)
    print(missing.content.decode())
    print("static:", client.get("/static/polosa/site.css").status_code)
"""


def request_the_demo(tmp_path, **env):
    result = run_with_dotenv(
        "",
        "polosa.settings.dev",
        REQUEST,
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_demo_answers_an_unknown_address_with_the_russian_404_page(tmp_path):
    out = request_the_demo(tmp_path)
    assert "404: 404" in out
    assert "<h1>Страница не найдена</h1>" in out
    assert '<html lang="ru"' in out
    assert "URLconf" not in out  # Django's debug page lists every URL pattern
    assert "static: 200" in out


def test_debug_is_the_developers_switch(tmp_path):
    out = request_the_demo(tmp_path, DEBUG="true")
    assert "404: 404" in out
    assert "URLconf" in out
    assert "static: 200" in out
