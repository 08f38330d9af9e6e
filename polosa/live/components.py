"""The "Прямой эфир" block in the page shell (slots), shown only while a broadcast is on air."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.templatetags.static import static

from polosa.caching import depends_on, includes, keys, valid_until


def render_broadcast(placement: str) -> str:
    """The block for the broadcast on air now, or ""; the page expires at the schedule's next edge."""
    from .models import on_air

    depends_on(keys.LIVE_BROADCASTS)
    broadcast, changes_at = on_air()
    valid_until(changes_at)
    if broadcast is None:
        return ""
    return render_to_string(
        "live/broadcast_block.html",
        {
            "broadcast": broadcast,
            "placement": placement,
            "hls_script": static("live/vendor/hls.min.js"),
            "live_script": static("live/live.js"),
            "live_css": static("live/live.css"),
        },
    )


def broadcast_on_home(request, context) -> str:
    return includes.include("live-broadcast", placement="home")


def broadcast_beside_article(request, context) -> str:
    if getattr(request, "is_preview", False):
        return ""
    return includes.include("live-broadcast", placement="article")


PLACEMENTS = ("home", "article")


def render_included_broadcast(params: dict[str, str]) -> str:
    placement = params.get("placement")
    return render_broadcast(placement) if placement in PLACEMENTS else ""


def register_includes() -> None:
    # An edge include: going on or off air re-renders the block once, not every page.
    includes.register("live-broadcast", render_included_broadcast, params=("placement",))
