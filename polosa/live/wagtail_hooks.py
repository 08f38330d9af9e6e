"""Editors manage broadcasts and live-blog entries as snippets; a live blog's page header offers
"add an entry" (prefilled with the blog) and its entries, so nobody hunts for them in the menu."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from . import components
from .models import LiveBlogEntry, LiveBlogPage, LiveBroadcast

# What the app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks").
hooks.register("polosa_slot_home_widgets", components.broadcast_on_home, order=10)
hooks.register("polosa_slot_article_aside", components.broadcast_beside_article, order=10)
hooks.register("polosa_slot_home_top", components.open_blogs_on_home, order=10)
hooks.register("polosa_includes", components.edge_includes)
# Rows asking for the promos' position come after them (promos come first in INSTALLED_APPS, too).
hooks.register("polosa_feed_inserts", components.feed_rows, order=10)


class LiveBroadcastViewSet(SnippetViewSet):
    model = LiveBroadcast
    icon = "media"
    menu_label = _("Live broadcasts")
    list_display = ["title", "is_enabled"]


class EntryCreateView(CreateView):
    """The add form starts with the blog named in `?blog=<id>` (the blog page's header button)."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        blog_id = self.request.GET.get("blog", "")
        if blog_id.isdigit() and LiveBlogPage.objects.filter(pk=blog_id).exists():
            instance.page_id = int(blog_id)
        return instance


class LiveBlogEntryViewSet(SnippetViewSet):
    model = LiveBlogEntry
    icon = "list-ul"
    menu_label = _("Live blog entries")
    add_view_class = EntryCreateView
    list_display = ["__str__", "page", "posted_at", "is_pinned", "is_key_event"]
    list_filter = ["page", "is_pinned", "is_key_event"]
    ordering = ["-posted_at"]


class LiveViewSetGroup(SnippetViewSetGroup):
    items = (LiveBroadcastViewSet, LiveBlogEntryViewSet)
    menu_icon = "media"
    menu_label = _("Live")
    menu_name = "live"


register_snippet(LiveViewSetGroup)


class EntryMenuItem(PageMenuItem):
    def __init__(self, label, url, icon_name, priority, *, page, permission):
        super().__init__(label, url, icon_name, priority, page=page)
        self.permission = permission

    def is_shown(self, user):
        return user.has_perm(f"live.{self.permission}_liveblogentry")


@hooks.register("register_page_header_buttons")
def live_blog_entry_buttons(page, user, view_name, next_url=None):
    if page.specific_class is not LiveBlogPage:
        return
    viewset = LiveBlogEntry.snippet_viewset
    add = reverse(viewset.get_url_name("add")) + "?" + urlencode({"blog": page.pk})
    entries = reverse(viewset.get_url_name("list")) + "?" + urlencode({"page": page.pk})
    yield EntryMenuItem(_("Add an entry"), add, "plus", 12, page=page, permission="add")
    yield EntryMenuItem(_("Entries"), entries, "list-ul", 13, page=page, permission="view")
