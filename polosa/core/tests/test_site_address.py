"""Absolute links follow the address the demo is served on when SITE_URL is not set."""

import pytest
from bs4 import BeautifulSoup

from polosa.core.management.commands.run_site import site_url_for
from polosa.core.sites import point_default_site_at
from polosa.settings.address import served_site_url

from .test_settings import run_with_dotenv

SHOW_ADDRESSES = (
    "from django.conf import settings; "
    "print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL, ' '.join(settings.ALLOWED_HOSTS))"
)


def dev_settings_with(tmp_path, **env):
    result = run_with_dotenv("", "polosa.settings.dev", SHOW_ADDRESSES, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    site_url, admin_url, allowed = result.stdout.strip().splitlines()[-1].split(" ", 2)
    return site_url, admin_url, allowed.split()


def test_the_demo_links_to_the_port_it_is_served_on(tmp_path):
    site_url, admin_url, _ = dev_settings_with(tmp_path, PORT="8801", SITE_URL="")
    assert site_url == admin_url == "http://127.0.0.1:8801"


def test_a_named_host_is_linked_to_and_allowed(tmp_path):
    site_url, _, allowed = dev_settings_with(tmp_path, HOST="news.lan", PORT="8080", SITE_URL="")
    assert site_url == "http://news.lan:8080"
    assert "news.lan" in allowed


def test_a_set_site_url_wins_over_host_and_port(tmp_path):
    site_url, admin_url, _ = dev_settings_with(tmp_path, PORT="8801", SITE_URL="https://news.example.org/")
    assert site_url == admin_url == "https://news.example.org"


def test_a_wildcard_bind_is_linked_through_the_loopback_address():
    assert served_site_url("0.0.0.0", 8080)  # noqa: S104 == "http://127.0.0.1:8080"
    assert served_site_url("::", 8000) == "http://127.0.0.1:8000"
    assert served_site_url("::1", 8000) == "http://[::1]:8000"
    assert served_site_url("localhost", 80) == "http://localhost"


def test_run_site_passes_its_own_address_on_unless_site_url_is_set(settings):
    settings.POLOSA_CONFIGURED_SITE_URL = ""
    assert site_url_for("127.0.0.1", 8801) == "http://127.0.0.1:8801"
    settings.POLOSA_CONFIGURED_SITE_URL = "https://news.example.org"
    assert site_url_for("127.0.0.1", 8801) == "https://news.example.org"


SERVED = "http://127.0.0.1:8801"


@pytest.mark.django_db
def test_every_absolute_link_follows_the_served_address(client, settings, article_factory):
    article = article_factory()
    # Served on :8000 before: Wagtail's root paths and the page cache hold that address.
    assert client.get(article.url, HTTP_HOST="127.0.0.1:8801").status_code == 200
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = SERVED
    assert point_default_site_at(SERVED)  # what run_site does before serving
    host = {"HTTP_HOST": "127.0.0.1:8801"}

    page = BeautifulSoup(client.get(article.url, **host).content, "html.parser")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == SERVED + article.url
    assert page.find("meta", property="og:url")["content"] == canonical
    structured = " ".join(script.string for script in page.find_all("script", type="application/ld+json"))
    assert f'"{SERVED}{article.url}"' in structured

    for path in ("/", "/rss/", "/sitemap.xml", "/sitemaps/articles.xml", "/robots.txt"):
        body = client.get(path, **host).content.decode()
        assert SERVED + "/" in body, path
        assert "127.0.0.1:8000" not in body, path
    assert "127.0.0.1:8000" not in page.decode()
