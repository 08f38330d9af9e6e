"""What the feed app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from wagtail import hooks

from . import fragments, views

hooks.register("polosa_slot_head", fragments.assets, order=10)
hooks.register("polosa_slot_sidebar", fragments.feed_column, order=10)
hooks.register("polosa_slot_sidebar", fragments.most_read_on_home, order=40)
hooks.register("polosa_slot_article_footer", fragments.most_read_on_article, order=50)
hooks.register("polosa_slot_article_counters", fragments.read_counter, order=10)
hooks.register("polosa_includes", fragments.edge_includes)
hooks.register("polosa_cdn_urls", views.cdn_urls)
