"""The address a browser on this machine uses for the site that `make run` serves on HOST:PORT.

Imported by the settings (before Django is set up) and by `run_site`, so absolute links (canonical,
Open Graph, JSON-LD, feeds, sitemaps, robots.txt, the admin's links) follow the port the demo is served
on when SITE_URL is not set.
"""

from __future__ import annotations

# Addresses that mean "every interface": a browser reaches them through the loopback address.
_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - compared with, never bound


def served_site_url(host: str, port: int) -> str:
    """`http://host:port` as a link target: a wildcard bind becomes 127.0.0.1, IPv6 gets brackets."""
    host = host.strip()
    if host in _WILDCARDS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"
