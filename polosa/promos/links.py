"""Outbound ad links: the erid travels in the query string exactly as the operator issued it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ERID_PARAM = "erid"
SPONSORED_REL = "sponsored noopener"


def with_erid(url: str, erid: str) -> str:
    """`url` with ``erid=<erid>`` in its query, replacing any erid already there; case is kept."""
    if not url or not erid:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != ERID_PARAM]
    query.append((ERID_PARAM, erid))
    return urlunsplit(parts._replace(query=urlencode(query)))
