"""What the search app adds to the public site, through Polosa's hooks (docs/architecture.md)."""

from wagtail import hooks

from . import components

hooks.register("polosa_slot_head", components.assets, order=32)
hooks.register("polosa_slot_header_tools", components.search_box, order=10)
