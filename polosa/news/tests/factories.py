"""Factories for news content. Text here is written for the tests, not taken from any publication."""

import factory
import wagtail_factories
from django.utils import timezone

from polosa.images.tests.factories import PolosaImageFactory
from polosa.news.models import (
    ArticlePage,
    ArticleTag,
    Author,
    SectionPage,
    StoryIndexPage,
    StoryPage,
    Tag,
    TagKind,
)


class TagFactory(factory.django.DjangoModelFactory):
    kind = TagKind.TOPIC
    name = factory.Sequence(lambda n: f"Тема {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")

    class Meta:
        model = Tag


class PersonTagFactory(TagFactory):
    kind = TagKind.PERSON
    name = factory.Sequence(lambda n: f"Пётр Тестов-{n}")
    slug = factory.Sequence(lambda n: f"petr-testov-{n}")
    role = "министр промышленности"


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Автор Номер {n}")
    slug = factory.Sequence(lambda n: f"avtor-{n}")
    role = "корреспондент"

    class Meta:
        model = Author


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Рубрика {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    show_in_menus = True

    class Meta:
        model = SectionPage


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Сюжеты"
    slug = "stories"

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Сюжет {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    description = "<p>Как развивается история.</p>"

    class Meta:
        model = StoryPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Заголовок тестовой новости номер {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    lead = "Короткий лид тестовой новости в одно предложение."
    hero_image = factory.SubFactory(PolosaImageFactory)
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Первый абзац тестовой новости.</p>")])
    published_at = factory.LazyFunction(timezone.now)
    first_published_at = factory.SelfAttribute("published_at")
    last_published_at = factory.SelfAttribute("published_at")

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            for i, tag in enumerate(extracted):
                ArticleTag.objects.create(article=self, tag=tag, sort_order=i)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            # A ParentalManyToManyField is written to the database by save(), not by set().
            self.authors.set(extracted)
            self.save()
