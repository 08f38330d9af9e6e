"""The desk panel on the admin's dashboard: what waits for review, what goes live today, what just did.

Three short lists an editor on shift checks first, each item linking to its edit form, times in the
newsroom's zone. Five indexed queries whatever the size of the archive (none touches the article
table without a filter on an indexed column).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Revision, WorkflowState

from polosa.news.models import ArticlePage

LIMIT = 10


def _row(page, when: datetime | None) -> dict:
    return {
        "title": page.title,
        "edit_url": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        "time": timezone.localtime(when).strftime("%H:%M") if when else "",
    }


def waiting_for_review() -> list[dict]:
    states = list(
        WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .order_by("created_at")
        .values_list("object_id", "created_at")[: LIMIT * 3]
    )
    pages = ArticlePage.objects.in_bulk([int(object_id) for object_id, _ in states])
    return [_row(pages[int(i)], at) for i, at in states if int(i) in pages][:LIMIT]


def scheduled_today(now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    end_of_day = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min))
    revisions = list(
        Revision.page_revisions.filter(approved_go_live_at__gte=now, approved_go_live_at__lt=end_of_day)
        .order_by("approved_go_live_at")
        .values_list("object_id", "approved_go_live_at")[: LIMIT * 3]
    )
    pages = ArticlePage.objects.in_bulk([int(object_id) for object_id, _ in revisions])
    return [_row(pages[int(i)], at) for i, at in revisions if int(i) in pages][:LIMIT]


def live_in_the_last_hour(now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    pages = (
        ArticlePage.objects.live()
        .filter(published_at__gte=now - timedelta(hours=1), published_at__lte=now)
        .order_by("-published_at", "-pk")
        .only("pk", "title", "published_at")[:LIMIT]
    )
    return [_row(page, page.published_at) for page in pages]


class DeskPanel(Component):
    name = "newsroom_desk"
    template_name = "newsroom/admin/desk_panel.html"
    order = 50  # above Wagtail's own panels

    def get_context_data(self, parent_context=None):
        return {
            "waiting": waiting_for_review(),
            "scheduled": scheduled_today(),
            "published": live_in_the_last_hour(),
        }
