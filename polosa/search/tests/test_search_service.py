"""Filters, snippets, offered tags, pagination and the index following publish and unpublish."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail import hooks

from polosa.news import newsworthy
from polosa.news.tests.factories import PersonTagFactory, SectionPageFactory, TagFactory
from polosa.search import analysis
from polosa.search.highlight import highlight
from polosa.search.models import SearchEntry
from polosa.search.service import SearchFilters, search_articles


def titles(results):
    return [hit.article.title for hit in results.hits]


@pytest.mark.django_db
def test_filters_by_section_tag_and_dates(article_factory, home, section):
    sport = SectionPageFactory(parent=home, title="Спорт", slug="sport")
    tag = TagFactory(name="Футбол")
    now = timezone.now()
    article_factory(title="Стадион открыт в Казани", published_at=now - timedelta(days=1))
    article_factory(
        parent=sport, title="Стадион закрыли на ремонт", tags=[tag], published_at=now - timedelta(days=40)
    )
    article_factory(parent=sport, title="Стадион продали", published_at=now - timedelta(days=400))
    assert len(search_articles("стадион").hits) == 3
    assert set(titles(search_articles("стадион", SearchFilters(section=sport)))) == {
        "Стадион закрыли на ремонт",
        "Стадион продали",
    }
    assert titles(search_articles("стадион", SearchFilters(tag=tag))) == ["Стадион закрыли на ремонт"]
    since = timezone.localdate() - timedelta(days=100)
    assert set(titles(search_articles("стадион", SearchFilters(date_from=since)))) == {
        "Стадион открыт в Казани",
        "Стадион закрыли на ремонт",
    }
    until = timezone.localdate() - timedelta(days=2)
    assert set(titles(search_articles("стадион", SearchFilters(date_to=until)))) == {
        "Стадион закрыли на ремонт",
        "Стадион продали",
    }
    assert titles(search_articles("стадион", SearchFilters(section=section, date_to=until))) == []


@pytest.mark.django_db
def test_news_only_passes_through_the_newsworthy_exclusions(article_factory):
    article_factory(title="Банк запустил вклад", slug="partner-deposit")
    article_factory(title="Банк отчитался о прибыли")

    def exclude_partner(qs):
        return qs.exclude(slug__startswith="partner-")

    with hooks.register_temporarily(newsworthy.HOOK, exclude_partner):
        assert len(search_articles("банк").hits) == 2
        assert titles(search_articles("банк", SearchFilters(news_only=True))) == ["Банк отчитался о прибыли"]


@pytest.mark.django_db
def test_snippet_marks_inflected_matches_and_escapes_markup(article_factory):
    article_factory(
        title="Лавров и <script>alert(1)</script>",
        lead="Министр сказал: «цены & пошлины» — вопрос к Лаврову.",
    )
    hit = search_articles("лавров").hits[0]
    assert "<mark>Лавров</mark>" in hit.headline
    assert "&lt;script&gt;" in hit.headline
    assert "<script>" not in hit.headline
    assert "<mark>Лаврову</mark>" in hit.snippet
    assert "&amp; пошлины" in hit.snippet


def test_highlight_cuts_long_text_around_the_first_match():
    text = ("слово " * 100) + "Минфин предложил налог. " + ("хвост " * 100)
    html = highlight(text, analysis.parse_query("минфина").all_stems, max_chars=120)
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>Минфин</mark>" in html
    assert len(html) < 200


@pytest.mark.django_db
def test_person_and_tag_whose_names_match_are_offered(article_factory):
    lavrov = PersonTagFactory(name="Сергей Лавров", slug="sergei-lavrov")
    russia = TagFactory(name="Россия", slug="russia")
    TagFactory(name="Лаврентий Берия", slug="beria")
    TagFactory(name="Китай", slug="china")
    article_factory(title="Лавров прибыл в Пекин", tags=[lavrov])
    assert search_articles("Лаврова").tags == [lavrov]
    assert search_articles("санкции против России").tags == [russia]
    assert search_articles("погода").tags == []


@pytest.mark.django_db
def test_pages_are_bounded_and_ordered(article_factory, settings):
    settings.POLOSA_SEARCH_CANDIDATES = 6
    now = timezone.now()
    for i in range(8):
        article_factory(title=f"Выборы в регионе {i}", published_at=now - timedelta(hours=i))
    first = search_articles("выборы", per_page=4)
    second = search_articles("выборы", page=2, per_page=4)
    assert first.total == 6
    assert first.more_than_total
    assert first.has_next
    assert not second.has_next
    assert len(first.hits) == 4
    assert len(second.hits) == 2
    assert not {h.article.pk for h in first.hits} & {h.article.pk for h in second.hits}
    # A page beyond the bound is clamped to the last reachable one, never an unbounded OFFSET.
    assert search_articles("выборы", page=10**9, per_page=4).page == 2


@pytest.mark.django_db
def test_publish_and_unpublish_update_the_index(article_factory):
    article = article_factory(title="Тарифы на электричество")
    assert titles(search_articles("тарифов")) == ["Тарифы на электричество"]

    article.unpublish()
    assert search_articles("тарифов").hits == []
    assert not SearchEntry.objects.filter(pk=article.pk).exists()

    article.refresh_from_db()
    article.title = "Тарифы на газ"
    article.save_revision().publish()
    assert titles(search_articles("газа")) == ["Тарифы на газ"]


@pytest.mark.django_db
def test_a_draft_is_not_indexed_until_published(article_factory):
    article = article_factory(title="Бюджет города")
    article.title = "Секретный черновик"
    article.save_revision()
    assert search_articles("черновик").hits == []
    assert titles(search_articles("бюджет")) == ["Бюджет города"]


@pytest.mark.django_db
def test_renaming_a_tag_reindexes_its_articles(article_factory):
    tag = TagFactory(name="Нефть")
    article_factory(title="Новость дня", tags=[tag])
    tag.name = "Газопровод"
    tag.save()
    assert titles(search_articles("газопровода")) == ["Новость дня"]
    assert search_articles("нефть").hits == []


@pytest.mark.django_db
def test_deleting_an_article_removes_it(article_factory):
    from django.db import connection

    article = article_factory(title="Рейтинг вузов")
    article.delete()
    assert search_articles("рейтинг").hits == []
    assert not SearchEntry.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_rebuild_indexes_rows_written_without_signals(article_factory):
    from polosa.search import indexing

    article = article_factory(title="Курс рубля укрепился")
    SearchEntry.objects.all().delete()
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    assert search_articles("рубль").hits == []
    assert indexing.rebuild() == 1
    assert titles(search_articles("рубль")) == [article.title]


@pytest.mark.django_db
def test_query_budget(article_factory, django_assert_max_num_queries):
    for i in range(25):
        article_factory(title=f"Инфляция ускорилась {i}", tags=[TagFactory()])
    # offered tags, candidates, view restrictions, articles, their tags, the texts for snippets
    with django_assert_max_num_queries(6):
        results = search_articles("инфляции")
        assert len(results.hits) == 20
        for hit in results.hits:
            _ = [t.name for t in hit.article.tags], hit.article.section.title
