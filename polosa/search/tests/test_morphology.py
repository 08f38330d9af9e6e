"""Russian morphology: inflected names, case and number forms find each other on both databases."""

import pytest

from polosa.search.service import search_articles


def titles(results):
    return {hit.article.title for hit in results.hits}


@pytest.fixture
def lavrov_articles(article_factory):
    return [
        article_factory(title="Лавров провёл переговоры в Женеве", lead="Министр встретился с коллегой."),
        article_factory(
            title="Встреча с министром",
            lead="Переговоры закончились.",
            body=[("paragraph", "<p>Беседа с Лавровым длилась час.</p>")],
        ),
        article_factory(title="Урожай зерна вырос", lead="Аграрии довольны погодой."),
    ]


@pytest.mark.django_db
def test_genitive_surname_finds_nominative_and_instrumental(lavrov_articles):
    found = titles(search_articles("Лаврова"))
    assert found == {"Лавров провёл переговоры в Женеве", "Встреча с министром"}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Лавров", "лаврову", "ЛАВРОВЫМ", "о Лаврове"])
def test_every_case_of_the_name_finds_both(lavrov_articles, query):
    assert len(search_articles(query).hits) == 2


@pytest.mark.django_db
def test_plural_and_case_forms_of_nouns(article_factory):
    article_factory(title="Новые санкции против банков", lead="Ограничения вводятся с понедельника.")
    article_factory(title="Рынок акций", lead="Инвесторы обсуждают санкцию и её последствия.")
    article_factory(title="Погода в Москве", lead="Снег пойдёт к вечеру.")
    assert len(search_articles("санкциями").hits) == 2
    assert titles(search_articles("банк")) == {"Новые санкции против банков"}
    assert titles(search_articles("москвы")) == {"Погода в Москве"}


@pytest.mark.django_db
def test_yo_is_the_same_letter_as_ye(article_factory):
    article_factory(title="Самолёт приземлился в срок", lead="Рейс прибыл без задержек.")
    assert len(search_articles("самолет").hits) == 1


@pytest.mark.django_db
def test_every_word_of_the_query_must_match(article_factory):
    article_factory(title="Центробанк снизил ставку", lead="Решение приняли единогласно.")
    article_factory(title="Центробанк сохранил прогноз", lead="Инфляция замедлилась.")
    assert titles(search_articles("ставки центробанка")) == {"Центробанк снизил ставку"}


@pytest.mark.django_db
def test_tags_are_searched(article_factory):
    from polosa.news.tests.factories import TagFactory

    article_factory(title="Совещание в правительстве", tags=[TagFactory(name="Металлургия")])
    article_factory(title="Другая новость")
    assert titles(search_articles("металлургии")) == {"Совещание в правительстве"}
