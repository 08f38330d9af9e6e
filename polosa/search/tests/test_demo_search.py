"""The README's search example works on the demo newsroom, in every case form it names."""

import importlib
import re
from io import StringIO
from pathlib import Path

import pytest

from polosa.search.service import search_articles

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_example():
    """The query and the forms the README's search paragraph says it finds, e.g. «Туманову» finds …"""
    text = " ".join(README.read_text(encoding="utf-8").split())
    sentence = re.search(r"Russian morphology on both databases: on the demo, (.*?)\. Filters", text).group(1)
    query, found = re.fullmatch(r"«(\w+)» finds (.*?) \(.*", sentence).groups()
    return query, re.findall(r"«(\w+)»", found)


@pytest.fixture
def demo(db, settings):
    # As under `make run`, publishing only queues its background work (image renditions, most of the
    # load's time here); the demo loader then builds the search index itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for app in ("news", "search"):
        importlib.import_module(f"polosa.{app}.demo").load(StringIO())


def test_the_readme_names_a_query_and_several_forms():
    query, forms = readme_example()
    assert len({query, *forms}) >= 4


@pytest.mark.django_db
def test_the_readmes_example_query_finds_demo_articles_in_every_form(demo):
    query, forms = readme_example()
    found_by = {}
    for typed in (query, *forms, query.lower(), query.upper()):
        results = search_articles(typed)
        assert results.total >= 3, typed
        assert [tag.name for tag in results.tags] == ["Глеб Туманов"], typed
        found_by[typed] = {hit.article.pk for hit in results.hits}
        marked = " ".join(hit.headline + " " + hit.snippet for hit in results.hits)
        assert re.search(r"<mark>Туманов\w*</mark>", marked), typed
    assert len({frozenset(pks) for pks in found_by.values()}) == 1  # each form finds the same articles
    # And the articles do use the forms the README says the query finds.
    bodies = " ".join(str(hit.article.body) for hit in search_articles(query).hits)
    for form in forms:
        assert re.search(rf"\b{form}\b", bodies), form
