import copy
import io
import json

import pytest
from django.core.management import call_command

from polosa.news.demo.data import CorpusError, corpus_file, read_corpus
from polosa.news.models import ArticleGenre, ArticlePage, SectionPage, StoryPage, Tag, TagKind

corpus = read_corpus()


@pytest.mark.django_db
def test_demo_loads_every_section_story_and_article_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert SectionPage.objects.live().count() == len(corpus.sections) >= 6
    assert StoryPage.objects.live().count() == len(corpus.stories) >= 3
    # Other apps' demos may add article subclasses (partner articles); count the news demo's own.
    assert ArticlePage.objects.published().exact_type(ArticlePage).count() == len(corpus.articles) >= 40
    assert {t.kind for t in Tag.objects.all()} == set(TagKind.values)

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert ArticlePage.objects.exact_type(ArticlePage).count() == len(corpus.articles)


def test_demo_articles_are_spread_over_the_last_three_days():
    hours = [a["hours_ago"] for a in corpus.articles]
    assert min(hours) < 3
    assert max(hours) <= 72


def test_the_shipped_corpus_uses_only_the_models_choices():
    # read_corpus() checks shape and references; the choices are the models' to say.
    assert {t["kind"] for t in corpus.tags} <= set(TagKind.values)
    assert {a["genre"] for a in corpus.articles if "genre" in a} <= set(ArticleGenre.values)


def _raw():
    return json.loads(corpus_file().read_text(encoding="utf-8"))


def _read(tmp_path, raw):
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return read_corpus(path)


def test_a_copy_of_the_shipped_file_reads_the_same(tmp_path):
    assert _read(tmp_path, _raw()) == corpus


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda r: r["articles"][3].pop("lead"), "articles[3] ('{a3}'): 'lead' is missing"),
        (
            lambda r: r["articles"][0].update(hours_ago="two"),
            "articles[0] ('{a0}'): 'hours_ago' must be a number, not 'two'",
        ),
        (
            lambda r: r["articles"][1].update(section="weather"),
            "articles[1] ('{a1}'): 'section' names 'weather', which is not in 'sections'",
        ),
        (
            lambda r: r["articles"][2]["tags"].append("no-such-tag"),
            "articles[2] ('{a2}'): 'tags' names 'no-such-tag', which is not in 'tags'",
        ),
        (lambda r: r["articles"][0].update(storry=None), "articles[0] ('{a0}'): unknown field 'storry'"),
        (
            lambda r: r["articles"][0]["body"].append({"type": "quote", "text": "Слова"}),
            "articles[0] ('{a0}'), body[{b0}] (quote): 'speaker' is missing",
        ),
        (
            lambda r: r["articles"][0]["body"].append({"type": "video"}),
            "articles[0] ('{a0}'), body[{b0}]: must be an object whose \"type\" is one of",
        ),
        (
            lambda r: r["tags"].append(dict(r["tags"][0])),
            "tags[{t}] ('{t0}'): slug '{t0}' appears twice in 'tags'",
        ),
        (lambda r: r.pop("authors"), "authors: missing, or not a list"),
    ],
)
def test_a_malformed_corpus_is_refused_naming_the_entry(tmp_path, break_it, message):
    raw = _raw()
    names = {f"a{i}": raw["articles"][i]["slug"] for i in range(4)}
    names |= {"b0": len(raw["articles"][0]["body"]), "t": len(raw["tags"]), "t0": raw["tags"][0]["slug"]}
    broken = copy.deepcopy(raw)
    break_it(broken)
    with pytest.raises(CorpusError) as error:
        _read(tmp_path, broken)
    assert str(error.value).startswith("corpus.json: ")
    assert message.format(**names) in str(error.value)


def test_a_corpus_that_is_not_json_is_refused_with_its_position(tmp_path):
    path = tmp_path / "corpus.json"
    path.write_text('{"sections": [', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"corpus\.json: not valid JSON: .*line 1 column"):
        read_corpus(path)
