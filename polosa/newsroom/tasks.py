"""Background tasks of the newsroom, run by the project's worker (`manage.py run_worker`)."""

from django_tasks import task

from . import scheduling


@task()
def publish_scheduled() -> dict:
    """Publish what is due and unpublish what has expired (registered to run every 30 seconds)."""
    run = scheduling.publish_scheduled()
    return {"published": len(run.published), "expired": len(run.expired), "late": len(run.late)}
