"""Background work of readership: moving counted reads from the cache to the database."""

from django_tasks import task

from . import reads


@task()
def flush_reads() -> int:
    """Store the reads counted since the last run (see polosa.readership.reads); run every minute."""
    return reads.flush()
