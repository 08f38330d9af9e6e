"""hreflang alternates appear only where a live translation of the article exists."""

import pytest
from wagtail.models import Locale

from polosa.syndication import structured_data


@pytest.mark.django_db
def test_translations_listed_when_i18n_is_on_and_a_translation_is_live(article_factory, settings):
    article = article_factory(title="Новость для перевода")
    settings.WAGTAIL_I18N_ENABLED = True
    assert structured_data.translations(article) == []
    english = Locale.objects.create(language_code="en")
    translation = article.copy_for_translation(english, copy_parents=True)
    translation.title = "Translated news"
    translation.save_revision().publish()
    found = dict(structured_data.translations(article))
    assert set(found) == {"ru", "en"}
    assert found["ru"] == article.full_url


@pytest.mark.django_db
def test_no_query_for_translations_on_a_single_language_site(article_factory, django_assert_num_queries):
    article = article_factory()
    with django_assert_num_queries(0):
        assert structured_data.translations(article) == []
