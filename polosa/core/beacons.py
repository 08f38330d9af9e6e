"""Shared checks for the small POST endpoints pages call without a form (read and impression beacons)."""

from __future__ import annotations


def is_cross_site(request) -> bool:
    """True when another site's page sent the request, so a count from it must not be taken.

    Browsers say so in ``Sec-Fetch-Site``; older ones only send ``Origin``.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.split("://", 1)[-1] != request.get_host()
    return False
