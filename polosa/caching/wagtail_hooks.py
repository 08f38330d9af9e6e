"""What the caching app adds to the public site, through Polosa's hooks (docs/architecture.md)."""

from wagtail import hooks

from . import components

hooks.register("polosa_slot_head", components.include_script, order=90)
