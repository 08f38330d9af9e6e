"""What the caching app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from datetime import timedelta

from wagtail import hooks

from polosa.core.periodic import PeriodicJob

from . import components, tasks

hooks.register("polosa_slot_head", components.include_script, order=90)


@hooks.register("polosa_periodic_jobs")
def periodic_jobs():
    # Covers a process that missed an invalidation during a Redis outage and died before Redis
    # came back; a live process replays its own as soon as Redis answers.
    return [
        PeriodicJob(
            "caching.replay_missed_invalidations",
            tasks.replay_missed_invalidations,
            every=timedelta(seconds=10),
        )
    ]
