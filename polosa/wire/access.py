"""Who may use the inbox: whoever may create an article in at least one section."""

from __future__ import annotations

from polosa.news.models import SectionPage


def sections_for(user) -> list[SectionPage]:
    """Sections the user may add an article to (remembered on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_wire_sections", None)
    if cached is None:
        cached = [
            section
            for section in SectionPage.objects.order_by("title")
            if section.permissions_for_user(user).can_add_subpage()
        ]
        user._wire_sections = cached
    return cached


def can_use_inbox(user) -> bool:
    return bool(sections_for(user))
