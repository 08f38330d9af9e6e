"""Publishing an article that is in review keeps the review's record.

Wagtail cancels the workflow of a page that is published from its editor by someone with publish
permission ("WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH"): the history then says the review was cancelled,
and the correspondent is not told their article was accepted. An editor who may approve the
current review task and presses «Опубликовать» means "approved": so the task is approved by them
for the revision being published, and the workflow is marked approved before Wagtail's publish
would cancel it. Someone who may publish but not approve leaves Wagtail's behaviour unchanged.
"""

from __future__ import annotations

import logging

from django.db import transaction
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved

logger = logging.getLogger(__name__)


def can_approve(task_state, page, user) -> bool:
    return any(name == "approve" for name, *_ in task_state.task.specific.get_actions(page, user))


@transaction.atomic
def approve_on_publish(page, user) -> bool:
    """Approve the page's review as `user` if they may (see the module's docstring); True if done."""
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    task_state = workflow_state.current_task_state
    if task_state is None or not can_approve(task_state, page, user):
        return False
    task_state = task_state.specific
    # The approval is of what goes live: the revision the editor is publishing now.
    if page.latest_revision_id:
        task_state.revision_id = page.latest_revision_id
        task_state.save(update_fields=["revision"])
    task_state.approve(user=user, update=False)
    # Finishing through Wagtail would publish the revision a second time; the publish under way does.
    # (Wagtail keeps the last task state as the finished workflow's current one; so does this.)
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save(update_fields=["status"])
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)
    logger.info("publishing %s «%s» approved its review", page.pk, page.title)
    return True
