"""An ad without erid or advertiser is never published: not from code, not from the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from polosa.promos.models import EventPromo, PartnerArticlePage, SpecialProjectPage

from .factories import (
    AdvertiserFactory,
    EventPromoFactory,
    PartnerArticlePageFactory,
    SpecialProjectPageFactory,
)

pytestmark = pytest.mark.django_db


def draft_partner_article(parent, **kwargs):
    page = PartnerArticlePage(
        title="Черновик партнерского материала",
        slug=kwargs.pop("slug", "draft-partner"),
        lead="Лид черновика.",
        body=[("paragraph", "<p>Текст.</p>")],
        live=False,
        **kwargs,
    )
    parent.add_child(instance=page)
    return page


@pytest.mark.parametrize("missing", ["erid", "advertiser"])
def test_creating_a_live_partner_article_without_marking_is_refused(partner_index, missing):
    kwargs = {"erid": ""} if missing == "erid" else {"erid": "2SDnjeXXXX", "advertiser": None}
    with pytest.raises(ValidationError) as error:
        PartnerArticlePageFactory(parent=partner_index, **kwargs)
    assert missing in error.value.message_dict
    assert not PartnerArticlePage.objects.exists()


def test_a_draft_may_wait_for_its_erid_but_publishing_it_is_refused(partner_index):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    revision = page.save_revision()

    with pytest.raises(ValidationError) as error:
        revision.publish()

    assert "erid" in error.value.message_dict
    assert not Page.objects.get(pk=page.pk).live


def test_publishing_works_once_the_marking_is_complete(partner_index):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    page.erid = "2SDnjeXXXX"
    page.save_revision().publish()
    assert PartnerArticlePage.objects.live().filter(pk=page.pk).exists()


def test_save_without_cleaning_is_still_guarded(partner_index):
    page = PartnerArticlePageFactory(parent=partner_index)
    page.erid = ""
    with pytest.raises(ValidationError):
        page.save(clean=False)
    assert PartnerArticlePage.objects.get(pk=page.pk).erid


def test_full_clean_names_both_missing_fields(partner_index):
    page = PartnerArticlePageFactory(parent=partner_index)
    page.erid, page.advertiser = "", None
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"erid", "advertiser"} <= set(error.value.message_dict)
    assert "без erid" in " ".join(error.value.message_dict["erid"])


def test_unpublishing_an_ad_is_always_allowed(partner_index):
    page = PartnerArticlePageFactory(parent=partner_index)
    page.unpublish()
    assert not Page.objects.get(pk=page.pk).live


def test_special_project_and_event_promo_are_refused_without_marking(home):
    with pytest.raises(ValidationError):
        SpecialProjectPageFactory(parent=home, erid="")
    with pytest.raises(ValidationError):
        EventPromoFactory(advertiser=None)
    draft = EventPromoFactory(erid="", live=False)  # a draft may be saved
    draft.live = True
    with pytest.raises(ValidationError):
        draft.save()
    assert not EventPromo.objects.get(pk=draft.pk).live
    assert not SpecialProjectPage.objects.exists()


def test_bulk_import_style_creation_is_refused_too(db):
    with pytest.raises(ValidationError):
        EventPromo.objects.create(title="Импорт", url="https://e.example/", live=True)


# --- The admin ------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def article_form(advertiser="", erid="", **extra):
    data = nested_form_data(
        {
            "title": "Как выбрать квартиру в новостройке",
            "slug": "kak-vybrat",
            "lead": "Советы партнера.",
            "genre": "news",
            "body": streamfield([("paragraph", rich_text("<p>Текст материала.</p>"))]),
            "advertiser": advertiser,
            "erid": erid,
            "tag_links": inline_formset([]),
            "comments": inline_formset([]),
            "corrections": inline_formset([]),
            "go_live_at": "",
            "expire_at": "",
        }
    )
    data.update(extra)
    return data


def page_form(page, parent, data):
    """The partner article's admin form, as the editor's page view builds it."""
    form_class = PartnerArticlePage.get_edit_handler().get_form_class()
    return form_class(data, instance=page, parent_page=parent, for_user=None)


def test_admin_form_refuses_the_publish_button_without_marking(partner_index):
    form = page_form(PartnerArticlePage(), partner_index, article_form(**{"action-publish": "1"}))

    assert not form.is_valid()
    assert form.errors["erid"] == ["Рекламу нельзя опубликовать без erid, выданного для нее."]
    assert form.errors["advertiser"] == ["Рекламу нельзя опубликовать без рекламодателя."]


def test_admin_form_saves_a_draft_without_erid(partner_index):
    form = page_form(PartnerArticlePage(), partner_index, article_form())
    assert form.is_valid(), form.errors


def test_admin_form_accepts_the_publish_button_with_marking(partner_index):
    advertiser = AdvertiserFactory()
    data = article_form(advertiser=advertiser.pk, erid="2SDnjeXXXX", **{"action-publish": "1"})
    form = page_form(PartnerArticlePage(), partner_index, data)
    assert form.is_valid(), form.errors


def test_admin_form_refuses_a_malformed_erid(partner_index):
    advertiser = AdvertiserFactory()
    form = page_form(
        PartnerArticlePage(), partner_index, article_form(advertiser=advertiser.pk, erid="2SDnje XX")
    )
    assert not form.is_valid()
    assert "erid" in form.errors


def test_admin_refuses_to_publish_an_event_promo_without_marking(editor_client):
    data = {
        "title": "Семинар",
        "teaser": "",
        "cta_text": "Зарегистрироваться",
        "url": "https://events.example/",
        "advertiser": "",
        "erid": "",
        "starts_at": "",
        "place": "",
        "show_from": "",
        "show_until": "",
        "feed_position": "",
        "on_home": "on",
        "action-publish": "1",
    }
    response = editor_client.post("/admin/snippets/promos/eventpromo/add/", data)
    assert response.status_code == 200
    assert "Рекламу нельзя опубликовать без erid" in response.content.decode()
    assert not EventPromo.objects.filter(live=True).exists()

    data.pop("action-publish")
    response = editor_client.post("/admin/snippets/promos/eventpromo/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    promo = EventPromo.objects.get()
    assert promo.live is False

    data.update({"advertiser": AdvertiserFactory().pk, "erid": "LjN8K8A6b", "action-publish": "1"})
    response = editor_client.post(f"/admin/snippets/promos/eventpromo/edit/{promo.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    promo.refresh_from_db()
    assert promo.live
    assert promo.erid == "LjN8K8A6b"


def test_promo_editors_render_in_the_admin(editor_client, home):
    EventPromoFactory(title="Семинар в списке")
    for url in (
        "/admin/snippets/promos/eventpromo/",
        "/admin/snippets/promos/eventpromo/add/",
        "/admin/snippets/promos/advertiser/add/",
        f"/admin/pages/add/promos/specialprojectpage/{home.pk}/",
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
    assert "Семинар в списке" in editor_client.get("/admin/snippets/promos/eventpromo/").content.decode()


def test_admin_refuses_an_advertiser_with_a_wrong_inn(editor_client):
    data = {"name": "ООО «Опечатка»", "inn": "7701234561", "url": ""}
    response = editor_client.post("/admin/snippets/promos/advertiser/add/", data)
    assert response.status_code == 200
    assert "Введите правильный ИНН" in response.content.decode()
    data["inn"] = "7701234560"
    assert editor_client.post("/admin/snippets/promos/advertiser/add/", data).status_code == 302


def test_bulk_publish_of_an_unmarked_draft_is_refused(editor_client, partner_index):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    page.save_revision()
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/pages/{partner_index.pk}/"
    response = editor_client.post(url, {"include_descendants": ""}, follow=True)
    assert "Рекламу нельзя опубликовать без рекламодателя и erid" in response.content.decode()
    assert not Page.objects.get(pk=page.pk).live


@pytest.mark.parametrize("outside", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_refused_bulk_publish_never_redirects_outside_the_site(editor_client, partner_index, outside):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    page.save_revision()
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next={outside}"
    response = editor_client.post(url, {"include_descendants": ""})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert not Page.objects.get(pk=page.pk).live


def test_refused_bulk_publish_returns_to_an_admin_page_of_this_site(editor_client, partner_index):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    page.save_revision()
    back = f"/admin/pages/{partner_index.pk}/"
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next={back}"
    response = editor_client.post(url, {"include_descendants": ""})
    assert response["Location"] == back


def test_refused_bulk_publish_over_https_never_goes_back_to_plain_http(editor_client, partner_index):
    page = draft_partner_article(partner_index, advertiser=AdvertiserFactory())
    page.save_revision()
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=http://testserver/admin/pages/"
    response = editor_client.post(url, {"include_descendants": ""}, secure=True)
    assert response["Location"] == "/admin/"
