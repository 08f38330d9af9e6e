"""Ranking mixes relevance with recency (formula in polosa.search.service)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polosa.search.service import recency_factor, score, search_articles


def test_recency_factor_halves_the_boost_every_half_life(settings):
    settings.POLOSA_SEARCH_RECENCY_BOOST = 1.0
    settings.POLOSA_SEARCH_RECENCY_HALF_LIFE_DAYS = 7
    now = timezone.now()
    assert recency_factor(now, now) == pytest.approx(2.0)
    assert recency_factor(now - timedelta(days=7), now) == pytest.approx(1.5)
    assert recency_factor(now - timedelta(days=14), now) == pytest.approx(1.25)
    assert recency_factor(now - timedelta(days=3650), now) == pytest.approx(1.0)
    # A clock skew never gives a future article more than the full boost.
    assert recency_factor(now + timedelta(days=1), now) == pytest.approx(2.0)
    assert score(0.5, now, now) == pytest.approx(1.0)
    assert score(-3, now, now) == 0


@pytest.mark.django_db
def test_of_equally_relevant_articles_the_newer_comes_first(article_factory):
    now = timezone.now()
    article_factory(title="Губернатор открыл мост", published_at=now - timedelta(days=30))
    article_factory(title="Губернатор открыл мост через реку", published_at=now - timedelta(hours=2))
    article_factory(title="Губернатор открыл мост на севере", published_at=now - timedelta(days=300))
    hits = search_articles("губернатор мост").hits
    assert [h.article.published_at for h in hits] == sorted(
        (h.article.published_at for h in hits), reverse=True
    )
    assert hits[0].score > hits[1].score > hits[2].score


@pytest.mark.django_db
def test_much_more_relevant_older_article_beats_a_passing_mention(article_factory):
    now = timezone.now()
    article_factory(
        title="Ипотека дорожает",
        lead="Ставки по ипотеке выросли; ипотека стала дороже для семей.",
        published_at=now - timedelta(days=10),
    )
    article_factory(
        title="Итоги недели",
        lead="Обзор событий.",
        body=[
            (
                "paragraph",
                "<p>Среди прочего обсуждали и ипотеку, но главным был спорт и погода в регионах.</p>",
            )
        ],
        published_at=now - timedelta(hours=1),
    )
    hits = search_articles("ипотека").hits
    assert [h.article.title for h in hits] == ["Ипотека дорожает", "Итоги недели"]


@pytest.mark.django_db
def test_recency_can_overtake_a_small_relevance_lead(article_factory, settings):
    """The same two articles swap places when recency weighs more (the boost is a setting)."""
    now = timezone.now()
    article_factory(
        title="Порт", lead="Порт расширят, порт получит новый причал.", published_at=now - timedelta(days=60)
    )
    article_factory(title="Порт", lead="Новый причал построят.", published_at=now)
    settings.POLOSA_SEARCH_RECENCY_BOOST = 0.0
    assert search_articles("порт").hits[0].article.published_at < now - timedelta(days=1)
    settings.POLOSA_SEARCH_RECENCY_BOOST = 50.0
    assert search_articles("порт").hits[0].article.published_at == now
