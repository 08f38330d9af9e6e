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


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


@pytest.mark.django_db
def test_a_create_form_submitted_after_its_own_autosave_is_not_refused(client, newsroom, section):
    client.force_login(UserFactory(role=roles.CORRESPONDENT))
    title = "Мост через Волгу открыли после ремонта"
    # The autosave creates the page in the background before the browser switches to its edit form.
    answer = client.post(add_url(section), article_form(title, ""), HTTP_ACCEPT="application/json").json()
    assert answer["success"]
    # The person clicks "save" on the create form meanwhile; then retries the same form.
    for lead in ("Мост открыли раньше срока.", "Мост открыли раньше срока, сообщила мэрия."):
        response = client.post(add_url(section), article_form(title, "", lead=lead))
        assert response.status_code == 302, response.content.decode()[:2000]
        articles = ArticlePage.objects.filter(slug="most-cherez-volgu-otkryli-posle-remonta")
        assert articles.count() == 1
        assert articles.get().get_latest_revision_as_object().lead == lead


@pytest.mark.django_db
def test_a_colleagues_or_an_older_draft_at_the_address_is_kept(client, newsroom, section):
    korr, other = UserFactory(role=roles.CORRESPONDENT), UserFactory(role=roles.CORRESPONDENT)
    title = "Мост через Волгу открыли после ремонта"
    client.force_login(other)
    client.post(add_url(section), article_form(title, ""))
    client.force_login(korr)
    response = client.post(add_url(section), article_form(title, ""))
    assert response.status_code == 200
    assert "уже используется" in response.content.decode()
    assert ArticlePage.objects.filter(title=title).count() == 1

    client.force_login(other)
    draft = ArticlePage.objects.get(title=title)
    draft.save_revision(user=other)  # a second revision: someone's work, not an autosave
    response = client.post(add_url(section), article_form(title, ""))
    assert response.status_code == 200
    assert ArticlePage.objects.filter(title=title).count() == 1


@pytest.mark.django_db
def test_the_writer_is_the_byline_author_of_a_new_article_by_default(client, newsroom, section):
    from bs4 import BeautifulSoup

    from polosa.news.tests.factories import AuthorFactory

    korr = UserFactory(role=roles.CORRESPONDENT)
    me = AuthorFactory(name="Иван Корреспондентов", user=korr)
    AuthorFactory(name="Другой Автор")
    client.force_login(korr)
    html = client.get(add_url(section)).content.decode()
    chosen = "[name=authors] option[selected], input[name=authors][checked]"
    selected = BeautifulSoup(html, "html.parser").select(chosen)
    assert [o.get("value") for o in selected] == [str(me.pk)]
