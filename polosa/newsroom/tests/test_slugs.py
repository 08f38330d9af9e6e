import pytest
from django.urls import reverse

from polosa.news.models import ArticlePage
from polosa.newsroom import roles
from polosa.newsroom.slugs import slug_from_title

from .admin_forms import article_form
from .factories import UserFactory


def test_russian_headline_becomes_a_latin_address():
    assert slug_from_title("Городской совет утвердил план") == "gorodskoy-sovet-utverdil-plan"
    assert slug_from_title("Щёлково: объём — «жёсткий»!") == "shchelkovo-obem-zhestkiy"
    assert slug_from_title("") == ""


def test_a_long_headline_is_cut_at_a_word():
    slug = slug_from_title("Правительство " * 20)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.split("-")[-1] == "pravitelstvo"


@pytest.mark.django_db
def test_an_article_saved_without_an_address_gets_one_from_its_headline(client, newsroom, section):
    client.force_login(UserFactory(role=roles.CORRESPONDENT))
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    response = client.post(url, article_form("Мост через Волгу открыли после ремонта", ""))
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Мост через Волгу открыли после ремонта").slug == (
        "most-cherez-volgu-otkryli-posle-remonta"
    )
