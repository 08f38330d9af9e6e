"""Extension point: labels that must be shown on every card of an item (advertising marking).

Cards of articles in shared templates (listing cards, feed rows, related cards, "most read") call
``{% card_marking item %}``; apps that own such labels register a resolver under Wagtail's hook
``polosa_card_marking`` in their ``wagtail_hooks.py``::

    from wagtail import hooks

    hooks.register("polosa_card_marking", partner_marking)   # partner_marking(item, style) -> HTML or ""

``item`` is an article page or a feed line (anything with ``pk`` or ``id``). A resolver must be cheap
for items it does not concern (cards are rendered by the dozen) and record the cache dependencies of
what it shows. Labels appear in hook order. A resolver that raises is logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "polosa_card_marking"

Resolver = Callable[[object, str], str]


def item_id(item) -> int | None:
    """The page id behind a card: an article's pk or a feed line's id."""
    value = getattr(item, "pk", None) or getattr(item, "id", None)
    return value if isinstance(value, int) else None


def marking_for(item, style: str = "card") -> SafeString:
    """Every registered label for `item`; `style` names the card ("card", "row", "related")."""
    if item is None:
        return mark_safe("")
    parts = []
    for resolver in hooks.get_hooks(HOOK):
        try:
            html = resolver(item, style)
        except Exception:
            logger.exception("card marking resolver %r failed", resolver)
            continue
        if html:
            parts.append(conditional_escape(html))
    return mark_safe("".join(parts))
