"""In a real browser: a correspondent writes and submits, an editor approves and publishes, readers see it."""

import pytest
from wagtail.models import Collection

from polosa.images.tests.factories import PolosaImageFactory
from polosa.news.models import ArticlePage
from polosa.newsroom import roles

from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-for-tests"
TITLE = "Городской совет утвердил план новых велодорожек"


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/")


def log_out(page):
    page.context.clear_cookies()


def add_block(page, label):
    """Open the stream's "insert a block" menu and pick a block type by its (Russian) label."""
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def test_correspondent_submits_editor_publishes_reader_sees_it(
    live_server, browser_page, section, article_factory
):
    roles.ensure_roles()
    correspondent = UserFactory(role=roles.CORRESPONDENT, username="korr")
    UserFactory(role=roles.EDITOR, username="redaktor")
    PolosaImageFactory(title="Велосипедисты на набережной", collection=Collection.get_first_root_node())
    article_factory(title="Вчерашняя новость о ремонте дорог")
    base = live_server.url
    page = browser_page
    page.set_default_timeout(15000)

    # The correspondent writes the article: headline, lead, photo, a paragraph and a quote.
    log_in(page, base, "korr")
    page.goto(f"{base}/admin/pages/add/news/articlepage/{section.pk}/")
    page.locator("#id_title").press_sequentially(TITLE)
    page.fill("#id_lead", "Сеть велодорожек вырастет вдвое за три года, решили депутаты.")
    page.locator("button:has-text('Выберите изображение')").first.click()
    page.get_by_role("link", name="Велосипедисты на набережной").click()
    page.locator(".chooser__title:has-text('Велосипедисты на набережной')").wait_for()

    add_block(page, "Абзац")
    page.locator(".Draftail-Editor [contenteditable=true]").last.click()
    page.keyboard.type("Депутаты проголосовали за план почти единогласно.")
    add_block(page, "Цитата")
    page.locator("textarea[name$='-value-text']").fill("Город станет удобнее для всех, кто ездит на работу.")
    page.locator("input[name$='-value-speaker']").fill("Ольга Руднева")

    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(f"{base}/admin/pages/{section.pk}/")
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.owner_id == correspondent.pk
    assert article.slug == "gorodskoy-sovet-utverdil-plan-novykh-velodorozhek"
    assert article.current_workflow_state is not None
    log_out(page)

    # The editor approves and publishes it from the editor.
    log_in(page, base, "redaktor")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    # The body's form fields are built by Wagtail's JavaScript after load; acting before that posts a
    # form without the body, which Wagtail rightly refuses (it failed a loaded CI run that way).
    page.locator("input[name='body-count']").wait_for(state="attached")
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    article.refresh_from_db()
    assert article.live
    log_out(page)

    # A reader sees it at the top of the news feed, with its quote and photo on its page.
    page.problems.clear()
    page.goto(f"{base}/news/")
    first = page.locator(".news-item").first
    assert TITLE in first.inner_text()
    page.goto(base + article.url)
    assert page.locator("h1").inner_text().endswith(TITLE)
    assert "Ольга Руднева" in page.locator(".article__body").inner_text()
    assert page.locator(".article__hero img").count() == 1
    assert page.problems == []
