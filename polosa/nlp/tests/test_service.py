"""Analysing an article's latest revision, on save and in the archive backfill; related articles."""

import logging

import pytest
from django.core.management import call_command

from polosa.news.models import TagKind
from polosa.news.tests.factories import TagFactory
from polosa.nlp import service
from polosa.nlp.models import ArticleAnalysis, TagSuggestion
from polosa.nlp.related import related_articles

pytestmark = pytest.mark.django_db


def names(article):
    return {(s.kind, s.name, s.tag_id) for s in TagSuggestion.objects.filter(article=article)}


def test_the_latest_revision_is_read_not_the_live_text(nlp_models, article_with_text):
    article = article_with_text("Мэрия сообщила о ремонте дорог", paragraphs=["Работы начнутся весной."])
    article.title = "Губернатор Павел Дроздов приехал в Тюмень"
    revision = article.save_revision()
    service.analyse_article(article.pk)
    analysis = ArticleAnalysis.objects.get(article=article)
    assert analysis.revision_id == revision.pk
    found = names(article)
    assert (TagKind.PERSON, "Павел Дроздов", None) in found
    assert (TagKind.PLACE, "Тюмень", None) in found


def test_the_body_and_lead_are_read_and_existing_tags_linked(nlp_models, article_with_text):
    city = TagFactory(kind=TagKind.PLACE, name="Калининград", slug="kaliningrad")
    article = article_with_text(
        "Новый паром начал ходить по расписанию",
        lead="Паром свяжет порт с Калининградом.",
        paragraphs=["По словам Марины Кудриной, рейсы будут ежедневными."],
    )
    service.analyse_article(article)
    found = names(article)
    assert (TagKind.PLACE, "Калининград", city.pk) in found
    assert (TagKind.PERSON, "Марина Кудрина", None) in found


def test_suggestions_leave_out_the_tags_in_the_form(nlp_models, article_with_text):
    city = TagFactory(kind=TagKind.PLACE, name="Калининград", slug="kaliningrad")
    article = article_with_text("Паром пришёл в Калининград", paragraphs=["Рейс прошёл спокойно."])
    service.analyse_article(article)
    assert [s.name for s in service.suggestions_for(article)] == ["Калининград"]
    assert service.suggestions_for(article, exclude_tag_ids=[city.pk]) == []


def test_a_new_tag_suggestion_turns_into_the_tag_once_it_exists(nlp_models, article_with_text):
    article = article_with_text("Делегация прибыла в Тюмень", paragraphs=["Визит продлится два дня."])
    service.analyse_article(article)
    (before,) = service.suggestions_for(article)
    assert before.tag is None
    city = TagFactory(kind=TagKind.PLACE, name="Тюмень", slug="tyumen")
    (after,) = service.suggestions_for(article)
    assert after.tag == city
    assert service.suggestions_for(article, exclude_tag_ids=[city.pk]) == []


def test_a_saved_revision_queues_its_analysis(
    nlp_models, article_with_text, django_capture_on_commit_callbacks
):
    article = article_with_text("Заседание перенесли", paragraphs=["Причины не названы."])
    article.title = "Совещание в Мурманске перенесли"
    with django_capture_on_commit_callbacks(execute=True):
        revision = article.save_revision()
    assert ArticleAnalysis.objects.get(article=article).revision_id == revision.pk
    assert (TagKind.PLACE, "Мурманск", None) in names(article)
    assert service.is_up_to_date(article)


def test_an_article_with_no_text_is_analysed_without_suggestions(nlp_models, article_factory, caplog):
    caplog.set_level(logging.INFO, "polosa.nlp")
    article = article_factory(title="...", lead="—", body=[])
    service.analyse_article(article)
    assert ArticleAnalysis.objects.filter(article=article).exists()
    assert names(article) == set()


def test_backfill_analyses_the_archive_and_resumes(nlp_models, article_with_text):
    first = article_with_text("Вертолёт доставил врачей в Норильск", paragraphs=["Погода улучшилась."])
    second = article_with_text("Мост в Саратове открыли после ремонта", paragraphs=["Движение пущено."])
    call_command("suggest_tags", "--all")
    assert ArticleAnalysis.objects.count() == 2
    analysed_at = {a.article_id: a.analysed_at for a in ArticleAnalysis.objects.all()}

    # Nothing changed: nothing is analysed again.
    call_command("suggest_tags", "--all")
    assert {a.article_id: a.analysed_at for a in ArticleAnalysis.objects.all()} == analysed_at

    # A new revision of one article: only that one is analysed again.
    second.title = "Мост в Саратове открыли, сообщил Игорь Лукин"
    second.save_revision()
    call_command("suggest_tags", "--all")
    again = {a.article_id: a.analysed_at for a in ArticleAnalysis.objects.all()}
    assert again[first.pk] == analysed_at[first.pk]
    assert again[second.pk] > analysed_at[second.pk]
    assert (TagKind.PERSON, "Игорь Лукин", None) in names(second)
    assert not second.tag_links.exists()  # suggestions only, never tags


def test_related_articles_share_entities_rarer_ones_first(nlp_models, article_with_text):
    article = article_with_text(
        "Завод «Уралхиммаш» в Екатеринбурге получил заказ", paragraphs=["Контракт рассчитан на три года."]
    )
    close = article_with_text(
        "«Уралхиммаш» расширит цех в Екатеринбурге", paragraphs=["Инвестиции составят миллиард."]
    )
    far = article_with_text("В Екатеринбурге прошёл марафон", paragraphs=["Участников было много."])
    draft = article_with_text("«Уралхиммаш» сменил директора", paragraphs=["Решение принято."], live=False)
    article_with_text("В Омске открыли каток", paragraphs=["Вход бесплатный."])
    for page in (article, close, far, draft):
        service.analyse_article(page)
    found = related_articles(article)
    assert [r.id for r in found] == [close.pk, far.pk]
    assert "Уралхиммаш" in found[0].reason
    assert related_articles(article, exclude_ids=[close.pk])[0].id == far.pk
