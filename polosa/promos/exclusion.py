"""Paid material is not news: partner articles stay out of news sitemaps, Yandex/Dzen feeds and
news search."""

from django.db.models import QuerySet


def exclude_paid(articles: QuerySet) -> QuerySet:
    """`articles` (any page queryset) without partner articles, published or not."""
    from .models import PartnerArticlePage

    return articles.exclude(pk__in=PartnerArticlePage.objects.values("pk"))
