"""In a real browser: new items appear in the open inbox; one becomes an article published through review."""

import pytest

from polosa.news.models import ArticlePage
from polosa.newsroom import roles
from polosa.newsroom.tests.browser import log_in
from polosa.newsroom.tests.factories import UserFactory
from polosa.wire.ingest import ingest_document
from polosa.wire.models import WireArticle, WireItem

from .conftest import sample_bytes
from .factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_item_becomes_an_article_published_through_review(live_server, browser_page, section):
    roles.ensure_roles()
    UserFactory(role=roles.CORRESPONDENT, username="korr")
    UserFactory(role=roles.EDITOR, username="redaktor")
    source = SourceFactory(default_section=section)
    ingest_document(sample_bytes("ninjs1.json"), source=source, transport="folder", name="ninjs1.json")
    base = live_server.url
    page = browser_page
    page.set_default_timeout(20000)

    log_in(page, base, "korr")
    page.get_by_role("link", name="Ленты агентств").first.click()
    page.wait_for_url(base + "/admin/wire/")
    assert "Минфин разместил облигации" in page.locator("[data-wire-rows]").inner_text()

    # An item that lands while the inbox is open appears on top without a reload.
    ingest_document(sample_bytes("ninjs2.json"), source=source, transport="push", name="ninjs2.json")
    fresh = WireItem.objects.get(guid__endswith="000802")
    page.locator(f'[data-wire-item="{fresh.pk}"]').wait_for()
    assert "Экспорт российской пшеницы" in page.locator("[data-wire-rows] tr").first.inner_text()

    page.get_by_role("link", name="Экспорт российской пшеницы в ноябре вырос на 12% к прошлому году").click()
    page.locator("select[name=section]").select_option(str(section.pk))
    page.get_by_role("button", name="Создать материал").click()
    page.wait_for_url(lambda url: "/edit/" in url)
    article = ArticlePage.objects.get()
    assert not article.live
    assert WireArticle.objects.get().page_id == article.pk
    assert page.locator("#id_title").input_value() == fresh.headline
    assert "Материал сделан из сообщения агентства" in page.content()

    # The correspondent submits it for review, the editor approves and it goes live.
    page.locator("input[name='body-count']").wait_for(state="attached")
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(f"{base}/admin/pages/{section.pk}/")
    article.refresh_from_db()
    assert article.current_workflow_state is not None
    page.context.clear_cookies()

    log_in(page, base, "redaktor")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    page.locator("input[name='body-count']").wait_for(state="attached")
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    article.refresh_from_db()
    assert article.live
    page.problems.clear()
    page.goto(base + article.url)
    body = page.locator(".article__body").inner_text()
    assert "Отгрузки зерна через южные порты" in body
    assert "по данным агентства «Вестник-Информ»" in body
    assert page.problems == []
