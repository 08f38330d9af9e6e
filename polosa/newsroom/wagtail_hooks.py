"""The newsroom in Wagtail's admin: the breaking-news banner, tags and authors as snippets."""

from datetime import timedelta

from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from polosa.core.periodic import PeriodicJob
from polosa.news.models import Author, Tag

from . import components, roles, slugs, tasks, workflow
from .models import BreakingBanner

# What the app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks").
hooks.register("polosa_slot_head", components.assets, order=20)
hooks.register("polosa_slot_page_top", components.breaking_banner, order=10)
hooks.register("polosa_slot_article_header_end", components.corrections, order=10)
hooks.register("polosa_includes", components.edge_includes)


@hooks.register("polosa_periodic_jobs")
def periodic_jobs():
    return [PeriodicJob("newsroom.publish_scheduled", tasks.publish_scheduled, every=timedelta(seconds=30))]


class BreakingBannerViewSet(SnippetViewSet):
    model = BreakingBanner
    icon = "warning"
    menu_label = _("Breaking banner")
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["text", "expires_at", "created_at"]
    ordering = ["-created_at"]


register_snippet(BreakingBannerViewSet)


# Tags and authors are chosen in the article form (the quote block's speaker, the tag list), so
# they must be snippets: without a registered viewset the snippet chooser cannot render at all.
class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = _("Tags")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 170
    add_to_admin_menu = True
    list_display = ["name", "role"]
    search_fields = ["name"]


register_snippet(TagViewSet)
register_snippet(AuthorViewSet)


@hooks.register("before_create_page")
def create_under_the_front_page_and_replace_autosaved_twins(request, parent_page, page_class):
    """Only live blogs under the front page below administrators (roles.py); and a create form
    submitted after its own autosave made the page replaces that draft (slugs.py)."""
    from polosa.front.models import HomePage

    if parent_page.specific_class is HomePage and not roles.may_create_under_front_page(
        request.user, page_class
    ):
        return permission_denied(request)
    if request.method == "POST":
        slug = request.POST.get("slug") or slugs.slug_from_title(request.POST.get("title", ""))
        slugs.discard_autosaved_twin(parent_page, slug, request.user)
    return None


@hooks.register("before_publish_page")
def publishing_in_review_records_the_approval(request, page):
    """A plain «Опубликовать» by an approver on an article in review approves it (workflow.py)."""
    workflow.approve_on_publish(page, request.user)
    return None


@hooks.register("construct_homepage_panels")
def desk_panel(request, panels):
    """What waits for review, what goes live today and what just did (dashboard.py)."""
    from .dashboard import DeskPanel

    panels.insert(0, DeskPanel())


@hooks.register("insert_editor_js")
def word_and_character_counts():
    """Counts under the headline, the lead and the body (static/newsroom/admin/counts.js)."""
    config = {"label": _("Words: {words} · characters: {chars}"), "fields": ["title", "lead"]}
    return json_script(
        {k: str(v) if k == "label" else v for k, v in config.items()}, "newsroom-counts-config"
    ) + (format_html('<script src="{}" defer></script>', static("newsroom/admin/counts.js")))
