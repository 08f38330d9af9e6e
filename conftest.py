"""Fixtures shared by every app's tests: a minimal site tree built from factories."""

import contextlib
import os
from pathlib import Path

import pytest

from testsupport import clear_cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so page and fragment caches never leak between tests."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def file_cache(tmp_path):
    """The embedded default cache (polosa.settings.base without REDIS_URL), for tests of what must hold
    on it as on Redis (locks, rate limits)."""
    from django.core.cache import caches
    from django.test import override_settings

    from polosa.caching.filecache import AtomicFileBasedCache

    backend = {
        "BACKEND": "polosa.caching.filecache.AtomicFileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }
    with override_settings(CACHES={"default": backend}):
        clear_cache()
        assert isinstance(caches["default"], AtomicFileBasedCache)
        yield caches["default"]
    clear_cache()


@pytest.fixture
def home(db):
    from testsupport import front_page

    return front_page()


@pytest.fixture
def section(home):
    from polosa.news.tests.factories import SectionPageFactory

    return SectionPageFactory(parent=home, title="Экономика", slug="economics")


@pytest.fixture
def story_index(home):
    from polosa.news.tests.factories import StoryIndexPageFactory

    return StoryIndexPageFactory(parent=home)


@pytest.fixture
def story(story_index):
    from polosa.news.tests.factories import StoryPageFactory

    return StoryPageFactory(parent=story_index, title="Бюджет на три года", slug="budget")


@pytest.fixture
def article_factory(section):
    """Create a published article under `section` (or another parent) with factory defaults."""
    from polosa.news.tests.factories import ArticlePageFactory

    def make(parent=None, **kwargs):
        return ArticlePageFactory(parent=parent or section, **kwargs)

    return make


# --- Browser tests ------------------------------------------------------------------------------
# Playwright drives Debian's chromium (never a downloaded browser). Without it the browser tests are
# skipped with a message, unless POLOSA_REQUIRE_BROWSER=1 (as in CI) turns that into a failure.

CHROMIUM = os.environ.get("POLOSA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Answer every host but the test server "not found", so the browser never calls out.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
SCREENSHOTS = Path(__file__).resolve().parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt install chromium)"
        if os.environ.get("POLOSA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the same tests are
    # still synchronous and run before or after each browser step, never inside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _note_failed_request(page, req) -> None:
    # A request the browser cancels because the page navigated away (the previous page's favicon,
    # say) is not a fault of the page under test; a failed load or a refused request is.
    if req.failure == "net::ERR_ABORTED" and not req.is_navigation_request():
        return
    page.problems.append(f"request failed: {req.url} {req.failure}")


@pytest.fixture
def browser_page(browser, request):
    """A fresh page; console errors and failed requests are collected in ``page.problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda req: _note_failed_request(page, req))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    # Leave the page first: an admin edit page sends a beacon as it unloads (Wagtail releasing its
    # editing session), and one still in flight when the test's database is flushed deadlocked the
    # flush in a CI run. Give the server a moment to answer it.
    from playwright.sync_api import Error as PlaywrightError

    # A page that cannot even leave is closed all the same.
    with contextlib.suppress(PlaywrightError):
        page.goto("about:blank", timeout=5000)
        page.wait_for_timeout(300)
    context.close()
