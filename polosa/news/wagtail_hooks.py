"""What the news app adds to the public site, through Polosa's hooks (docs/architecture.md)."""

from wagtail import hooks

from . import embeds

hooks.register("polosa_slot_head", embeds.assets, order=40)
