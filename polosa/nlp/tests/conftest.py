import pytest

from polosa.nlp import extraction


@pytest.fixture(scope="session")
def nlp_models():
    """Natasha's models, loaded once for the whole test session (about 2 s)."""
    return extraction.get_pipeline()


@pytest.fixture
def article_with_text(article_factory):
    """An article whose headline, lead and body paragraphs are the given texts."""

    def make(title, lead="", paragraphs=(), **kwargs):
        body = [("paragraph", f"<p>{p}</p>") for p in paragraphs]
        return article_factory(title=title, lead=lead or title, body=body, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _fresh_tag_index():
    # Each test's tags are rolled back and their ids reused, which the index's own fingerprint (the
    # cache version, the tags' count and newest id) cannot tell from the previous test's.
    from polosa.nlp import matching

    matching._index_cache.clear()
    yield
    matching._index_cache.clear()


@pytest.fixture(autouse=True)
def _analysis_on_save(settings):
    """The test settings leave saved revisions unanalysed for every other app; here they are not."""
    settings.POLOSA_NLP_ON_SAVE = True
