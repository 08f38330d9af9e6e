"""Factories for paid material. The advertisers are fictional; their ИНН only pass the checksum."""

import factory
import wagtail_factories
from django.utils import timezone

from polosa.news.tests.factories import ArticlePageFactory
from polosa.promos.models import (
    Advertiser,
    EventPromo,
    PartnerArticlePage,
    PartnerIndexPage,
    SpecialProjectPage,
)


class AdvertiserFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"ООО «Ромашка-{n}»")
    inn = "7701234560"
    url = "https://romashka.example/offer"

    class Meta:
        model = Advertiser


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    title = "Партнерские материалы"
    slug = "partners"

    class Meta:
        model = PartnerIndexPage


class PartnerArticlePageFactory(ArticlePageFactory):
    title = factory.Sequence(lambda n: f"Партнерский материал номер {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    advertiser = factory.SubFactory(AdvertiserFactory)
    erid = factory.Sequence(lambda n: f"2SDnjeTest{n}Ab")

    class Meta:
        model = PartnerArticlePage
        skip_postgeneration_save = True


class SpecialProjectPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Спецпроект номер {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    hashtag = "всенабиржу"
    accent_colour = "#0b6e4f"
    intro = "Как частному инвестору выйти на биржу без лишнего риска."
    advertiser = factory.SubFactory(AdvertiserFactory)
    erid = factory.Sequence(lambda n: f"Kra23Proj{n}")
    feed_position = 2

    class Meta:
        model = SpecialProjectPage


class EventPromoFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Семинар для руководителей номер {n}")
    teaser = "Как договориться о бюджете команды и не потерять людей."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
    place = "Москва, конференц-зал «Север»"
    url = "https://events.example/register?utm_source=polosa"
    advertiser = factory.SubFactory(AdvertiserFactory)
    erid = factory.Sequence(lambda n: f"LjN8Event{n}")
    feed_position = 3
    on_home = True
    in_article_aside = True
    live = True

    class Meta:
        model = EventPromo
