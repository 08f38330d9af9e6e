"""What the syndication app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from wagtail import hooks

from . import cdn, components

hooks.register("polosa_slot_head", components.alternate_feeds, order=21)
hooks.register("polosa_slot_head", components.front_page_meta, order=22)
hooks.register("polosa_cdn_urls", cdn.feed_urls)
