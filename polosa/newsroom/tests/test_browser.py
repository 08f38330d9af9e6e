"""In a real browser: a correspondent writes and submits, an editor approves and publishes, readers see it."""

from contextlib import contextmanager

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from wagtail.models import Collection

from polosa.images.tests.factories import PolosaImageFactory
from polosa.news.models import ArticlePage
from polosa.newsroom import roles

from .browser import log_in
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Городской совет утвердил план новых велодорожек"


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
    # And the paragraph's rich-text editor holds its text: until Draftail has started, the block's
    # hidden input may still be posted empty (a refused approval in a loaded CI run).
    page.locator(".Draftail-Editor [contenteditable=true]", has_text="Депутаты проголосовали").wait_for()
    page.locator("textarea[name$='-value-text']").first.wait_for()
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    try:
        page.wait_for_url(lambda url: "/edit/" not in url)
    except PlaywrightTimeout:
        # Say what the form refused, so a failure on a loaded machine can be told apart.
        errors = page.locator(".error-message, .w-field__errors, .help-critical").all_inner_texts()
        pytest.fail(f"the approval was refused: {errors}")
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


@contextmanager
def autosaved(page):
    """Wait past the autosave that what is done inside the block sets off (a background JSON save)."""

    def is_autosave(response):
        request = response.request
        return request.method == "POST" and "application/json" in (request.headers.get("accept") or "")

    with page.expect_response(is_autosave) as saved:
        yield
    assert saved.value.json()["success"], saved.value.json()
    page.locator("#w-autosave-indicator[data-w-autosave-state-value='saved']").wait_for(state="attached")


def expect_accepted(page):
    """The click went through: a success message, no error, nothing refused."""
    page.locator(".messages .success").first.wait_for()
    assert page.locator(".messages .error").count() == 0, page.locator(".messages").inner_text()
    assert "более новую версию" not in page.content()


def wait_for_change_tracking(page):
    """Wagtail notes the loaded form's contents 2 s after load and autosaves what differs from
    them: a change typed before that would be taken for the starting point and never autosaved."""
    page.locator("input[name='body-count']").wait_for(state="attached")
    page.wait_for_timeout(2500)


def open_actions(page):
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()


def test_correspondent_to_editor_to_publish_through_autosaves_without_one_refused_click(
    live_server, browser_page, section
):
    from wagtail.models import WorkflowState

    from polosa.news.models import Author

    roles.ensure_roles()
    korr = UserFactory(
        role=roles.CORRESPONDENT, username="korr", first_name="Иван", last_name="Корреспондентов"
    )
    Author.objects.create(name="Иван Корреспондентов", slug="ivan-korrespondentov", user=korr)
    UserFactory(role=roles.EDITOR, username="redaktor")
    base = live_server.url
    page = browser_page
    page.set_default_timeout(20000)
    title = "Порт Усть-Луги принял рекордный танкер"

    # The correspondent writes; Wagtail autosaves in the background (the first autosave creates it).
    log_in(page, base, "korr")
    page.goto(f"{base}/admin/pages/add/news/articlepage/{section.pk}/")
    wait_for_change_tracking(page)
    with autosaved(page):
        page.locator("#id_title").fill(title)
        page.fill("#id_lead", "Танкер длиной 250 метров встал под погрузку в новом терминале.")
        add_block(page, "Абзац")
        page.locator(".Draftail-Editor [contenteditable=true]").last.click()
        page.keyboard.type("Погрузка займёт двое суток, сообщили в порту.")
    page.wait_for_url("**/edit/**")
    # Word and character counts follow the text as it is typed.
    lead = "Танкер длиной 250 метров встал под погрузку в новом терминале."
    paragraph = "Погрузка займёт двое суток, сообщили в порту."
    assert page.locator("[data-newsroom-count=lead]").inner_text() == f"Слов: 10 · знаков: {len(lead)}"
    assert page.locator("[data-newsroom-count=title]").inner_text() == f"Слов: 5 · знаков: {len(title)}"
    assert page.locator("[data-newsroom-count=body]").inner_text() == f"Слов: 7 · знаков: {len(paragraph)}"
    # Another change, another autosave (it overwrites the first autosaved revision), then "save".
    with autosaved(page):
        page.fill("#id_lead", "Танкер длиной 250 метров встал под погрузку в новом терминале порта.")
    page.locator("footer button[type=submit]").first.click()
    expect_accepted(page)
    article = ArticlePage.objects.get(title=title)
    assert [a.name for a in article.get_latest_revision_as_object().authors.all()] == ["Иван Корреспондентов"]
    assert ArticlePage.objects.filter(title=title).count() == 1

    # More writing, an autosave, and the submission for review.
    wait_for_change_tracking(page)
    with autosaved(page):
        page.locator(".Draftail-Editor [contenteditable=true]").last.click()
        page.keyboard.press("End")
        page.keyboard.type(" Это третий рекорд порта за год.")
    open_actions(page)
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(f"{base}/admin/pages/{section.pk}/")
    assert page.locator(".messages .error").count() == 0
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    log_out(page)

    # The editor polishes the lead, waits past an autosave and presses a plain «Опубликовать».
    log_in(page, base, "redaktor")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    wait_for_change_tracking(page)
    with autosaved(page):
        page.fill("#id_lead", "Танкер длиной 250 метров встал под погрузку в новом терминале Усть-Луги.")
    open_actions(page)
    page.locator("button[name='action-publish']").click()
    # Wagtail asks once before publishing an article in review; the dialog says it approves it.
    dialog = page.locator("[data-confirm-cancellation]")
    dialog.wait_for()
    assert "одобрение" in page.locator(".modal-content, [role=dialog]").last.inner_text()
    dialog.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    assert page.locator(".messages .error").count() == 0
    article.refresh_from_db()
    assert article.live
    assert article.lead.endswith("Усть-Луги.")
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == WorkflowState.STATUS_APPROVED
