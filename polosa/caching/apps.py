from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "polosa.caching"
    label = "caching"
    verbose_name = _("Page cache")

    def ready(self):
        from polosa.core import periodic

        from . import edge, signal_handlers, tasks  # noqa: F401
        from .dependencies import keys_invalidated

        keys_invalidated.connect(edge.on_keys_invalidated, dispatch_uid="polosa-edge-purge")
        # Covers a process that missed an invalidation during a Redis outage and died before Redis
        # came back; a live process replays its own as soon as Redis answers.
        periodic.register(
            "caching.replay_missed_invalidations",
            tasks.replay_missed_invalidations,
            every=timedelta(seconds=10),
        )
