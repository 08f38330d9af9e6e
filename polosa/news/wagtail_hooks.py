"""What the news app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from wagtail import hooks

from . import embeds, signal_handlers

hooks.register("polosa_slot_head", embeds.assets, order=40)
hooks.register("polosa_cdn_urls", signal_handlers.tag_and_author_urls)
