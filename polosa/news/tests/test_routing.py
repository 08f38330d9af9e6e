"""Articles are found in one query (from the front page or from their section) and keep Wagtail's
rules: only live pages, view restrictions on the article or any ancestor, aliases, 404 for anything
else (410 once withdrawn)."""

import pytest
from django.conf import settings
from wagtail.models import Page, PageViewRestriction

from polosa.news.models import ArticlePage


@pytest.fixture
def article(article_factory):
    return article_factory(title="Завод запустил новую линию", slug="zavod")


def test_the_article_comes_with_its_section_story_line_and_photo(
    article, section, story, rf, django_assert_num_queries
):
    article.story = story
    article.save_revision().publish()
    request = rf.get(article.url)
    page, args, kwargs = Page.route_for_request(request, article.url)
    assert type(page) is ArticlePage
    assert page.pk == article.pk
    assert (args, kwargs) == ([], {})
    # The template reads these without further queries.
    with django_assert_num_queries(0):
        assert page.section.pk == section.pk
        assert page.get_parent().pk == section.pk
        assert page.story.title == story.title
        assert page.hero_image.pk == article.hero_image_id


def test_a_missing_slug_or_a_deeper_path_is_not_found(client, article, section):
    assert client.get(f"{section.url}no-such-article/").status_code == 404
    assert client.get(f"{article.url}more/").status_code == 404


def test_a_draft_is_not_found_and_a_withdrawn_article_is_gone(client, article, article_factory):
    draft = article_factory(slug="draft", live=False, first_published_at=None, published_at=None)
    assert client.get(draft.url).status_code == 404
    article.unpublish()
    assert client.get(article.url).status_code == 410


@pytest.mark.parametrize("on", ["article", "section", "home"])
def test_a_login_restriction_on_the_article_or_an_ancestor_still_applies(client, article, section, home, on):
    page = {"article": article, "section": section, "home": home}[on]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.WAGTAIL_FRONTEND_LOGIN_URL)


def test_a_password_restriction_shows_the_password_form(client, article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="tajna"
    )
    response = client.get(article.url)
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert "Завод запустил новую линию".encode() not in response.content


def test_an_alias_section_serves_its_articles_under_the_source_sections_restrictions(
    client, article, section, home
):
    alias = section.create_alias(recursive=True, parent=home, update_slug="economics-mirror")
    alias_article = ArticlePage.objects.child_of(alias).get(slug=article.slug)
    assert alias_article.alias_of_id == article.pk
    assert client.get(alias_article.url).status_code == 200
    # Restricting the source section restricts the alias's articles too (Wagtail resolves aliases).
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(alias_article.url).status_code == 302


def test_an_article_is_routed_from_the_front_page_in_one_query(article, rf, django_assert_num_queries):
    request = rf.get(article.url)
    # The site (with its root page), the front page's own row, then the article with its section:
    # Wagtail's route alone would also load the section's page row and its specific row.
    with django_assert_num_queries(3):
        page, _, _ = Page.route_for_request(request, article.url)
    assert page.pk == article.pk
    # Its parent chain is known up to the front page, so its view restrictions are one query.
    with django_assert_num_queries(1):
        assert list(page.get_view_restrictions()) == []


def test_an_article_whose_section_field_names_another_section_is_routed_by_its_address(
    client, article, section, home
):
    from polosa.news.tests.factories import SectionPageFactory

    other = SectionPageFactory(parent=home, title="Спорт", slug="sport")
    ArticlePage.objects.filter(pk=article.pk).update(section=other)
    response = client.get(article.url)
    assert response.status_code == 200
    assert client.get(f"/sport/{article.slug}/").status_code == 404
