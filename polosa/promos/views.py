"""Reader-facing endpoints: the impression beacon, the counting click redirect, the accent colours."""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt

from polosa.caching import depends_on, do_not_cache, keys
from polosa.core.beacons import is_cross_site
from polosa.readership import reads

from . import counting, links
from .models import EventPromo, ItemKind, PartnerArticlePage, SpecialProjectPage
from .validators import HEX_RE, text_colour_for

logger = logging.getLogger(__name__)
MAX_BODY = 2048


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _within_rate(request) -> bool:
    """The feed's per-client limit (a daily-salted hash kept a minute in the cache, never stored), in
    a bucket of its own, so one client cannot inflate the counts."""
    return reads.allow(reads.client_token(request) + ":promos")


@csrf_exempt  # no cookies are read or set; other sites' posts are refused below
def seen(request):
    """Count impressions: the body names the promos a reader saw (``event:3,article:12``).

    Sent by navigator.sendBeacon, so the answer is never read; it is 204 and never stored. Bots are
    not counted and nothing about the reader (address, cookies, agent) is kept.
    """
    do_not_cache("impression beacon")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if is_cross_site(request):
        return _no_store(HttpResponse(status=403))
    if len(request.body) > MAX_BODY:
        return _no_store(HttpResponse(status=413))
    if reads.is_bot(request.headers.get("User-Agent", "")):
        return _no_store(HttpResponse(status=204))
    if not _within_rate(request):
        response = _no_store(HttpResponse(status=429))
        response["Retry-After"] = "60"
        return response
    try:
        raw = request.body.decode("ascii")
    except UnicodeDecodeError:
        logger.info("promos: impression beacon with a non-ASCII body ignored")
        return _no_store(HttpResponse(status=400))
    items = counting.parse_items(raw)
    if not items:
        return _no_store(HttpResponse(status=400))
    counting.count_impressions(items)
    return _no_store(HttpResponse(status=204))


def _target(kind: str, object_id: int) -> tuple[str, str] | None:
    """The outbound URL and erid of a live, marked promo."""
    if kind == ItemKind.EVENT:
        promo = EventPromo.objects.filter(live=True, pk=object_id).select_related("advertiser").first()
        url = promo.url if promo else ""
    elif kind == ItemKind.PROJECT:
        promo = SpecialProjectPage.objects.live().filter(pk=object_id).select_related("advertiser").first()
        url = promo.advertiser.url if promo and promo.advertiser_id else ""
    elif kind == ItemKind.ARTICLE:
        promo = PartnerArticlePage.objects.live().filter(pk=object_id).select_related("advertiser").first()
        url = promo.advertiser.url if promo and promo.advertiser_id else ""
    else:
        return None
    if promo is None or not url or promo.marking_errors():
        return None
    return url, promo.erid


def click(request, kind: str, object_id: int):
    """Count a click on an ad's outbound link, then send the reader on with the erid in the URL."""
    do_not_cache("click redirect")
    target = _target(kind, object_id)
    if target is None:
        raise Http404
    url, erid = target
    counts = request.method == "GET" and not reads.is_bot(request.headers.get("User-Agent", ""))
    if counts and _within_rate(request):
        counting.count_click(kind, object_id)
    response = HttpResponseRedirect(links.with_erid(url, erid))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def accents(request):
    """The special projects' accent colours as classes, with a text colour that keeps 4.5:1 contrast."""
    depends_on(keys.PROMOS)
    rows = [
        (pk, colour.lower(), text_colour_for(colour))
        for pk, colour in SpecialProjectPage.objects.live().values_list("pk", "accent_colour")
        if colour and HEX_RE.match(colour)
    ]
    css = render_to_string("promos/accents.css", {"rows": rows})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    # The link carries the promos version (?v=…), so a browser may keep each version for a day.
    response["Cache-Control"] = "public, max-age=86400"
    return response
