"""What the rates app adds to the public site, through Polosa's hooks (docs/architecture.md)."""

from wagtail import hooks

from . import widget

hooks.register("polosa_slot_head", widget.assets, order=31)
# Above the news feed, where the reference page shows the rates among the feed's first rows.
hooks.register("polosa_slot_sidebar", widget.rates_widget, order=5)
