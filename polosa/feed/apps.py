from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "polosa.feed"
    label = "feed"
    verbose_name = _("News feed and front page")

    def ready(self):
        from polosa.caching import cdn
        from polosa.core import periodic, slots
        from polosa.readership import tasks

        from . import fragments, views

        fragments.register_includes()
        slots.register("head", order=10)(fragments.assets)
        slots.register("sidebar", order=10)(fragments.feed_column)
        slots.register("sidebar", order=40)(fragments.most_read_on_home)
        slots.register("article_footer", order=50)(fragments.most_read_on_article)
        slots.register("article_counters", order=10)(fragments.read_counter)
        cdn.register_urls(views.cdn_urls)
        periodic.register("feed.flush_reads", tasks.flush_reads, every=timedelta(minutes=1))
