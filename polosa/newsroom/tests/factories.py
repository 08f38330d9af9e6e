"""Newsroom test data: staff accounts in each role, banners."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from polosa.newsroom.models import BreakingBanner

# Every user the factories make signs in with this (the browser tests type it).
PASSWORD = "pass-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Мария"
    last_name = factory.Sequence(lambda n: f"Проверкина-{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class BreakingBannerFactory(factory.django.DjangoModelFactory):
    text = "Центробанк неожиданно изменил ключевую ставку"
    link = "/economics/"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))

    class Meta:
        model = BreakingBanner
