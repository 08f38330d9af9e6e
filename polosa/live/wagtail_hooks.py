"""Editors manage broadcasts and live-blog entries as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LiveBlogEntry, LiveBroadcast


class LiveBroadcastViewSet(SnippetViewSet):
    model = LiveBroadcast
    icon = "media"
    menu_label = _("Live broadcasts")
    list_display = ["title", "is_enabled"]


class LiveBlogEntryViewSet(SnippetViewSet):
    model = LiveBlogEntry
    icon = "list-ul"
    menu_label = _("Live blog entries")
    list_display = ["__str__", "page", "posted_at", "is_pinned", "is_key_event"]
    list_filter = ["page", "is_pinned", "is_key_event"]
    ordering = ["-posted_at"]


class LiveViewSetGroup(SnippetViewSetGroup):
    items = (LiveBroadcastViewSet, LiveBlogEntryViewSet)
    menu_icon = "media"
    menu_label = _("Live")
    menu_name = "live"


register_snippet(LiveViewSetGroup)
