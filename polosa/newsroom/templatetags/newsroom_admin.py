"""Template tags of the newsroom's admin templates."""

from django import template
from wagtail.models import Page

from ..workflow import can_approve

register = template.Library()


@register.simple_tag(takes_context=True)
def publish_approves_review(context) -> bool:
    """Whether «Опубликовать» on the page in the request's URL approves its review (workflow.py).

    For Wagtail's "publishing cancels the workflow" dialog, whose context names no page: the page
    is the one in the dialog's own URL (`…/confirm_cancellation/<page_id>/`).
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    page_id = match.kwargs.get("page_id") if match else None
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        return False
    page = page.specific
    state = page.current_workflow_state
    task_state = state.current_task_state if state else None
    return bool(task_state and can_approve(task_state, page, request.user))
