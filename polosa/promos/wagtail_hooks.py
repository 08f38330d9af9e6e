from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Advertiser, EventPromo


class AdvertiserViewSet(SnippetViewSet):
    model = Advertiser
    icon = "group"
    list_display = ["name", "inn", "url"]
    search_fields = ["name", "inn"]


class EventPromoViewSet(SnippetViewSet):
    model = EventPromo
    icon = "date"
    list_display = ["title", "starts_at", "show_from", "show_until", "advertiser", "erid"]
    list_filter = ["live"]


class PromosGroup(SnippetViewSetGroup):
    menu_label = _("Advertising")
    menu_icon = "tag"
    menu_order = 250
    items = (AdvertiserViewSet, EventPromoViewSet)


register_snippet(PromosGroup)


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("promos/report/", admin_views.report_view, name="promos_report")]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return MenuItem(_("Ad statistics"), reverse("promos_report"), icon_name="doc-full", order=260)
