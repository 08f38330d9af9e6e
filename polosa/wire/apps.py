from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WireConfig(AppConfig):
    name = "polosa.wire"
    label = "wire"
    verbose_name = _("Wire agencies")

    def ready(self):
        from polosa.core import periodic

        from . import tasks

        # Folders are looked at often (an item must reach the inbox seconds after it lands); each
        # feed is fetched on its own interval, which `poll_due_sources` checks on every run.
        periodic.register("wire.watch_folders", tasks.watch_folders, every=tasks.watch_interval())
        periodic.register("wire.poll_feeds", tasks.poll_feeds, every=tasks.poll_check_interval())
