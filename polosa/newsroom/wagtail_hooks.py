"""The newsroom in Wagtail's admin: the breaking-news banner as a snippet for the duty editor."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BreakingBanner


class BreakingBannerViewSet(SnippetViewSet):
    model = BreakingBanner
    icon = "warning"
    menu_label = _("Breaking banner")
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["text", "expires_at", "created_at"]
    ordering = ["-created_at"]


register_snippet(BreakingBannerViewSet)
