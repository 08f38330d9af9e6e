"""Wire test data. Agencies and news here are invented for the tests."""

import factory
from django.utils import timezone

from polosa.search.analysis import stems_text
from polosa.wire import dedup
from polosa.wire.models import Source, SourceKind, WireItem


class SourceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Вестник-Информ, лента {n}")
    slug = factory.Sequence(lambda n: f"vestnik-{n}")
    agency = "Вестник-Информ"
    kind = SourceKind.FOLDER
    attribution = "по данным агентства «Вестник-Информ»"
    poll_interval = 60

    class Meta:
        model = Source


class WireItemFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    agency = factory.SelfAttribute("source.agency")
    guid = factory.Sequence(lambda n: f"urn:test:item-{n}")
    headline = factory.Sequence(lambda n: f"Тестовое сообщение агентства номер {n}")
    lead = "Короткое описание сообщения."
    body = "<p>Текст сообщения агентства.</p>"
    format = "newsml-g2"
    received_at = factory.LazyFunction(timezone.now)
    available_at = factory.SelfAttribute("received_at")
    fingerprint = factory.LazyAttribute(lambda o: dedup.fingerprint(f"{o.headline} {o.lead}"))
    search_stems = factory.LazyAttribute(lambda o: f" {stems_text(o.headline)} ")

    class Meta:
        model = WireItem
