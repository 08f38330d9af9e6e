"""What the search app plugs into Polosa's extension hooks (docs/architecture.md, "Extension hooks")."""

from wagtail import hooks

from . import components

hooks.register("polosa_slot_head", components.assets, order=32)
hooks.register("polosa_slot_header_tools", components.search_box, order=10)
