"""A related-article card shows only an article readers may open; a dangling one shows nothing."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from polosa.news.blocks import RelatedArticleBlock
from polosa.news.models import ArticlePage


@pytest.fixture
def pointing(article_factory):
    """Article A with a related card to B between two paragraphs."""
    target = article_factory(title="Статья, на которую ссылаются", slug="target")
    source = article_factory(
        title="Статья со ссылкой",
        slug="source",
        body=[
            ("paragraph", "<p>До карточки.</p>"),
            ("related", {"article": target}),
            ("paragraph", "<p>После карточки.</p>"),
        ],
    )
    return source, target


def article_body(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".article__body")


def assert_no_card(body):
    assert body.select(".related-card") == []
    assert "Статья, на которую ссылаются" not in body.get_text()
    # The rest of the body is still there, in order, with nothing left of the card in between.
    assert [p.get_text() for p in body.find_all("p")] == ["До карточки.", "После карточки."]


def test_a_live_related_article_gets_its_card(client, pointing):
    source, target = pointing
    card = article_body(client, source).select_one(".related-card")
    assert card.find("a")["href"] == target.url


@pytest.mark.parametrize("seen_before", [False, True], ids=["cold", "card-cached"])
def test_a_deleted_related_article_leaves_no_card(client, pointing, seen_before):
    source, target = pointing
    if seen_before:
        assert article_body(client, source).select(".related-card")
    target.delete()
    assert_no_card(article_body(client, source))


@pytest.mark.parametrize("seen_before", [False, True], ids=["cold", "card-cached"])
def test_an_unpublished_related_article_leaves_no_card(client, pointing, seen_before):
    source, target = pointing
    if seen_before:
        assert article_body(client, source).select(".related-card")
    target.unpublish()
    assert_no_card(article_body(client, source))


@pytest.mark.parametrize("seen_before", [False, True], ids=["cold", "card-cached"])
def test_a_private_related_article_leaves_no_card(client, pointing, seen_before):
    source, target = pointing
    if seen_before:
        assert article_body(client, source).select(".related-card")
    PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
    assert_no_card(article_body(client, source))


def test_a_cached_card_follows_its_article_its_section_and_its_person(client, pointing, section):
    """The card is a fragment shared by every article linking to it: what it shows changes with the
    article's headline, its section's title and its main person's name."""
    from polosa.news.tests.factories import PersonTagFactory

    source, target = pointing
    person = PersonTagFactory(name="Анна Соколова")
    target.tag_links.create(tag=person, sort_order=0)
    target.save_revision().publish()
    card = article_body(client, source).select_one(".related-card")
    assert card.select_one(".related-card__person").get_text() == "Анна Соколова"

    target.refresh_from_db()
    target.title = "Новый заголовок статьи"
    target.save_revision().publish()
    card = article_body(client, source).select_one(".related-card")
    assert card.select_one(".related-card__title").get_text() == "Новый заголовок статьи"

    section.title = "Экономика и финансы"
    section.save_revision().publish()
    card = article_body(client, source).select_one(".related-card")
    assert card.select_one(".related-card__rubric").get_text() == "Экономика и финансы"

    person.name = "Анна Соколова-Крылова"
    person.save()
    card = article_body(client, source).select_one(".related-card")
    assert card.select_one(".related-card__person").get_text() == "Анна Соколова-Крылова"


def test_the_block_rendered_on_its_own_shows_a_live_article(pointing):
    _source, target = pointing
    html = RelatedArticleBlock().render(RelatedArticleBlock().to_python({"article": target.pk}))
    card = BeautifulSoup(html, "html.parser").select_one(".related-card")
    assert card.find("a")["href"] == target.url


@pytest.mark.parametrize("change", ["delete", "unpublish"])
def test_the_block_rendered_on_its_own_shows_nothing_for_a_gone_article(pointing, change):
    _source, target = pointing
    pk = target.pk
    getattr(target, change)()
    block = RelatedArticleBlock()
    assert block.render(block.to_python({"article": pk})).strip() == ""


def test_a_preview_of_unsaved_blocks_shows_the_chosen_card_and_nothing_for_an_empty_one(pointing):
    source, target = pointing
    # An editor's unsaved body holds native values (pages, None), not the stored JSON.
    source.body = [
        ("paragraph", "<p>До карточки.</p>"),
        ("related", {"article": ArticlePage.objects.get(pk=target.pk)}),
        ("related", {"article": None}),
        ("paragraph", "<p>После карточки.</p>"),
    ]
    response = source.make_preview_request()
    assert response.status_code == 200
    body = BeautifulSoup(response.content, "html.parser").select_one(".article__body")
    [card] = body.select(".related-card")
    assert card.find("a")["href"] == target.url


@pytest.fixture
def three_cards(article_factory):
    targets = [article_factory(title=f"Связанная {n}", slug=f"rel-{n}") for n in range(3)]
    source = article_factory(
        title="Статья с тремя карточками",
        slug="three",
        body=[
            ("paragraph", "<p>Текст.</p>"),
            *(("related", {"article": t}) for t in targets),
        ],
    )
    return source, targets


def test_the_cards_not_cached_are_read_together(client, three_cards, django_assert_num_queries):
    from polosa.caching import invalidate, keys
    from polosa.news.rendering import related_card_html

    source, targets = three_cards
    client.get(source.url)  # renditions made, cards stored
    ids = [t.pk for t in targets]
    with django_assert_num_queries(0):
        cached = related_card_html(ids)
    invalidate(*(keys.page(pk) for pk in ids))
    # The restricted pages and the three cards: two queries for all three, not two each.
    with django_assert_num_queries(2):
        fresh = related_card_html(ids)
    assert fresh == cached


def test_a_card_changed_after_the_others_were_read_is_read_again(monkeypatch, three_cards):
    from polosa.caching import invalidate, keys
    from polosa.news import rendering

    _source, targets = three_cards
    ids = [t.pk for t in targets]
    read = rendering.related_cards

    def read_then_publish(wanted):
        found = read(wanted)
        if len(wanted) > 1:
            # An editor's change to the last card commits just after the cards were read.
            ArticlePage.objects.filter(pk=ids[2]).update(title="Исправленный заголовок")
            invalidate(keys.page(ids[2]))
        return found

    monkeypatch.setattr(rendering, "related_cards", read_then_publish)
    html = rendering.related_card_html(ids)
    assert "Связанная 0" in html[ids[0]]
    assert "Исправленный заголовок" in html[ids[2]]
