"""The wire in Wagtail's admin: the «Ленты агентств» inbox, the sources as snippets, warnings on articles;
and its recurring jobs (hook ``polosa_periodic_jobs``)."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from polosa.core.periodic import PeriodicJob

from . import access, admin_views, tasks
from .models import Source, WireArticle


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "rss"
    menu_label = gettext_lazy("Wire sources")
    list_display = ["name", "agency", "kind", "enabled", "last_success_at", "last_error_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "agency"]


register_snippet(SourceViewSet)


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_use_inbox(request.user)


@hooks.register("register_admin_urls")
def register_wire_urls():
    return [
        path("wire/", admin_views.inbox_view, name="wire_inbox"),
        path("wire/rows/", admin_views.rows_view, name="wire_rows"),
        path("wire/item/<id:pk>/", admin_views.item_view, name="wire_item"),
        path("wire/item/<id:pk>/article/", admin_views.create_article_view, name="wire_create_article"),
        path("wire/status/", admin_views.status_view, name="wire_status"),
        path("wire/status/<id:pk>/", admin_views.source_status_view, name="wire_source_status"),
        path("wire/document/<id:pk>/", admin_views.document_view, name="wire_document"),
    ]


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(gettext_lazy("Agency feeds"), reverse("wire_inbox"), icon_name="rss", order=140)


@hooks.register("before_edit_page")
def warn_about_agency_changes(request, page):
    """On an article made from an agency item: link back to it, and say if it was updated or killed."""
    if request.method != "GET":
        return None
    for use in WireArticle.objects.filter(page_id=page.pk).select_related("item"):
        link = reverse("wire_item", args=[use.item_id])
        if use.agency_withdrew_at:
            messages.error(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("The agency withdrew the item this article was made from: do not publish it as it is."),
                    link,
                    use.item.headline,
                ),
            )
        elif use.agency_updated_at:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>', _("The agency updated the item:"), link, use.item.headline
                ),
            )
        else:
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>', _("Made from the agency item"), link, use.item.headline
                ),
            )
    return None


@hooks.register("polosa_periodic_jobs")
def periodic_jobs():
    # Folders are looked at often (an item must reach the inbox seconds after it lands); each
    # feed is fetched on its own interval, which `poll_due_sources` checks on every run.
    return [
        PeriodicJob("wire.watch_folders", tasks.watch_folders, every=tasks.watch_interval()),
        PeriodicJob("wire.poll_feeds", tasks.poll_feeds, every=tasks.poll_check_interval()),
    ]
