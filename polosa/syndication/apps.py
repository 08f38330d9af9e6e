from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "polosa.syndication"
    label = "syndication"
    verbose_name = _("Syndication")

    def ready(self):
        from polosa.caching import cdn

        from . import cdn as syndication_cdn

        cdn.register_urls(syndication_cdn.feed_urls)
