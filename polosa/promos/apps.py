from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromosConfig(AppConfig):
    name = "polosa.promos"
    label = "promos"
    verbose_name = _("Partner material and promos")

    def ready(self):
        from polosa.core import markings
        from polosa.feed import inserts
        from polosa.news import newsworthy

        from . import placement, signal_handlers
        from .exclusion import exclude_paid

        signal_handlers.connect()
        inserts.register(placement.feed_rows)
        markings.register(placement.card_marking)
        newsworthy.register_exclusion(exclude_paid)
        placement.register_includes()
