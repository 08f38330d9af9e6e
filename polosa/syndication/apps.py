from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "polosa.syndication"
    label = "syndication"
    verbose_name = _("Syndication")

    def ready(self):
        from polosa.caching import cdn
        from polosa.core import slots

        from . import cdn as syndication_cdn
        from . import components

        cdn.register_urls(syndication_cdn.feed_urls)

        slots.register("head", order=20)(components.alternate_feeds)
        slots.register("head", order=21)(components.front_page_meta)
