"""The sections readers filter by: the menu's list and a section looked up by its slug."""

from __future__ import annotations

from collections.abc import Iterable

from .models import SectionPage


def menu_sections() -> list[SectionPage]:
    """The published sections shown in the menu, in tree order, with only their titles and slugs loaded."""
    return list(
        SectionPage.objects.live().public().filter(show_in_menus=True).order_by("path").only("title", "slug")
    )


def find_section(slug: str, among: Iterable[SectionPage] = ()) -> SectionPage | None:
    """The published section with this slug: from ``among`` (the menu, already loaded) when it is
    there, else one query, since a section kept out of the menu can still be filtered by."""
    section = next((s for s in among if s.slug == slug), None)
    if section is None:
        section = SectionPage.objects.live().public().filter(slug=slug).first()
    return section
