"""In a real browser: an editor adds suggested tags and a related card with one click each, then publishes."""

import pytest

from polosa.news.models import ArticlePage, Tag, TagKind
from polosa.news.tests.factories import TagFactory
from polosa.newsroom import roles
from polosa.newsroom.tests.browser import log_in
from polosa.newsroom.tests.factories import UserFactory
from polosa.nlp import service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def own_problems(page):
    # The admin's avatars come from Gravatar, which the browser here cannot reach (nor CSP allow).
    return [p for p in page.problems if "gravatar.com" not in p]


def open_editor(page, base, article):
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    # The body's form fields are built by Wagtail's script after load (see the newsroom's browser test).
    page.locator("input[name='body-count']").wait_for(state="attached")
    page.locator("[data-nlp-panel][data-state='ready']").wait_for()


def publish(page):
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(lambda url: "/edit/" not in url)


def test_editor_adds_a_suggested_tag_and_a_new_one_with_a_click_each(
    live_server, browser_page, nlp_models, home, section, story_index, article_with_text
):
    roles.ensure_roles()
    UserFactory(role=roles.EDITOR, username="redaktor")
    lavrov = TagFactory(kind=TagKind.PERSON, name="Сергей Лавров", slug="sergey-lavrov")
    article = article_with_text(
        "Лавров прилетел в Улан-Удэ",
        paragraphs=["Встреча с Лавровым прошла в здании правительства республики."],
    )
    service.analyse_article(article)
    base, page = live_server.url, browser_page
    page.set_default_timeout(20000)
    log_in(page, base, "redaktor")
    open_editor(page, base, article)

    panel = page.locator("[data-nlp-panel]")
    assert "Предложенные теги" in panel.inner_text()
    panel.get_by_role("button", name="Сергей Лавров").click()
    page.locator(".chooser__title", has_text="Сергей Лавров").wait_for()
    # The suggestion leaves the panel once its tag is in the form.
    panel.get_by_role("button", name="Сергей Лавров").wait_for(state="detached")

    panel.get_by_role("button", name="+ Улан-Удэ").click()
    page.locator(".chooser__title", has_text="Улан-Удэ").wait_for()
    city = Tag.objects.get(name="Улан-Удэ")
    assert city.kind == TagKind.PLACE
    assert not article.tag_links.exists()  # nothing is applied until the editor saves

    publish(page)
    article = ArticlePage.objects.get(pk=article.pk)
    assert set(article.tag_links.values_list("tag_id", flat=True)) == {lavrov.pk, city.pk}
    assert own_problems(page) == []


def test_editor_inserts_a_related_card_with_a_click(
    live_server, browser_page, nlp_models, home, section, story_index, article_with_text
):
    roles.ensure_roles()
    UserFactory(role=roles.EDITOR, username="redaktor")
    article = article_with_text(
        "«Уралхиммаш» получил заказ в Екатеринбурге", paragraphs=["Контракт рассчитан на три года."]
    )
    other = article_with_text("«Уралхиммаш» расширит цех", paragraphs=["Инвестиции составят миллиард."])
    for each in (article, other):
        service.analyse_article(each)
    base, page = live_server.url, browser_page
    page.set_default_timeout(20000)
    log_in(page, base, "redaktor")
    open_editor(page, base, article)

    panel = page.locator("[data-nlp-panel]")
    assert "Похожие материалы" in panel.inner_text()
    panel.locator(f"[data-nlp-related='{other.pk}']").click()
    page.locator(".chooser__title", has_text="«Уралхиммаш» расширит цех").wait_for()
    publish(page)
    article = ArticlePage.objects.get(pk=article.pk)
    related = [block.value["article"].pk for block in article.body if block.block_type == "related"]
    assert related == [other.pk]
    assert own_problems(page) == []
