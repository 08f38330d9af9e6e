from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "polosa.feed"
    label = "feed"
    verbose_name = _("News feed and front page")

    def ready(self):
        from polosa.core import periodic

        from . import fragments, tasks

        fragments.register_includes()
        periodic.register("feed.flush_reads", tasks.flush_reads, every=timedelta(minutes=1))
