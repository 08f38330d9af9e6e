from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, placement
from .exclusion import exclude_paid
from .models import AdMarking, Advertiser, EventPromo

# What the app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks").
hooks.register("polosa_slot_head", placement.assets, order=30)
hooks.register("polosa_slot_article_top", placement.article_top, order=10)
hooks.register("polosa_slot_article_aside", placement.article_aside, order=50)
hooks.register("polosa_slot_home_blocks", placement.home_block, order=50)
hooks.register("polosa_includes", placement.edge_includes)
# Paid material: its rows in the news feed, its label on every card, and no place on news-only surfaces.
hooks.register("polosa_feed_inserts", placement.feed_rows)
hooks.register("polosa_card_marking", placement.card_marking)
hooks.register("polosa_news_exclusion", exclude_paid)


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


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unmarked_ads(request, action_type, objects, action_class_instance):
    """Bulk publishing goes around the edit form; refuse it with the same message for unmarked ads."""
    if action_type != "publish":
        return None
    unmarked = []
    for obj in objects:
        specific = getattr(obj, "specific", obj)
        # What would go live is the latest revision, not the row.
        latest = getattr(specific, "get_latest_revision_as_object", None)
        candidate = latest() if latest else specific
        if isinstance(candidate, AdMarking) and candidate.marking_errors():
            unmarked.append(str(candidate))
    if not unmarked:
        return None
    messages.error(
        request,
        _("An ad cannot be published without its advertiser and erid: %(titles)s")
        % {"titles": ", ".join(unmarked)},
    )
    return redirect(_safe_next(request) or "wagtailadmin_home")


def _safe_next(request) -> str:
    """The ``next`` address if it stays on this site (never an outside or scheme-relative URL)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
