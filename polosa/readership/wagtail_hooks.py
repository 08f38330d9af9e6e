"""What the readership app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from datetime import timedelta

from wagtail import hooks

from polosa.core.periodic import PeriodicJob

from . import tasks


@hooks.register("polosa_periodic_jobs")
def periodic_jobs():
    # The name stays what the worker has recorded its last run under, so no extra run follows an upgrade.
    return [PeriodicJob("feed.flush_reads", tasks.flush_reads, every=timedelta(minutes=1))]
