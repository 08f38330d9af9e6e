from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "polosa.live"
    label = "live"
    verbose_name = _("Live broadcast and live blogs")

    def ready(self):
        from polosa.core import slots
        from polosa.feed import inserts

        from . import components, signal_handlers  # noqa: F401

        components.register_includes()
        slots.register("home_widgets", order=10)(components.broadcast_on_home)
        slots.register("article_aside", order=10)(components.broadcast_beside_article)
        slots.register("home_top", order=10)(components.open_blogs_on_home)
        inserts.register(components.feed_rows)
