"""The /news/ page, the feed column's live refresh and the read beacon."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from polosa.caching import current_versions, depends_on, keys
from polosa.core import dates
from polosa.core.beacons import is_cross_site
from polosa.core.forms import value_or_404
from polosa.news import listings
from polosa.news.models import ArticlePage
from polosa.news.sections import find_section, menu_sections
from polosa.readership import reads

from . import fragments, inserts, queries
from .forms import NewsFilterForm

NEWS_PAGE_SIZE = 30


def news_page(request):
    """Лента новостей: every published article, newest first, by section and by day."""
    depends_on(keys.ARTICLES, keys.SITE)
    sections = menu_sections()
    form = NewsFilterForm(request.GET)
    section = None
    if slug := value_or_404(form, "section"):
        section = find_section(slug, among=sections)
        if section is None:
            raise Http404(_("There is no such section."))
    day = value_or_404(form, "date")

    listing = listings.keyset_page(
        request,
        queries.feed_queryset(section, day),
        NEWS_PAGE_SIZE,
        prepare=lambda rows: queries.to_items(rows, request),
    )
    first_page = not request.GET.get(listings.CURSOR_PARAM)
    placement = inserts.Placement(
        surface=inserts.PAGE,
        size=NEWS_PAGE_SIZE,
        first_page=first_page,
        section_slug=section.slug if section else "",
        day=day,
    )
    rows = inserts.merge(listing.items, inserts.inserts_for(placement))

    filters = {}
    if section:
        filters["section"] = section.slug
    if day:
        filters["date"] = day.isoformat()
    context = {
        "rows": rows,
        "listing": listing,
        "sections": sections,
        "section": section,
        "day": day,
        "extra_query": urlencode(filters),
        "first_page": first_page,
        # The page is the feed itself: no "Лента новостей" column beside it.
        "is_feed_page": True,
        "canonical_url": settings.SITE_URL
        + reverse("feed:news")
        + (f"?{urlencode(filters)}" if filters else ""),
    }
    label = ", ".join(
        part
        for part in (
            section.title if section else "",
            dates.long_date(queries.day_bounds(day)[0]) if day else "",
        )
        if part
    )
    if label:
        context["crumbs"] = [(_("News feed"), reverse("feed:news"))]
        context["current_crumb"] = label
    else:
        context["current_crumb"] = _("News feed")
    if day:
        today = timezone.localdate()
        previous = {**filters, "date": (day - timedelta(days=1)).isoformat()}
        context["previous_day_query"] = urlencode(previous)
        context["previous_day"] = day - timedelta(days=1)
        if day < today:
            context["next_day_query"] = urlencode({**filters, "date": (day + timedelta(days=1)).isoformat()})
            context["next_day"] = day + timedelta(days=1)
        context["day_label"] = dates.long_date(queries.day_bounds(day)[0])
    return render(request, "feed/news_page.html", context)


def cdn_urls(changed: frozenset[str]) -> list[str]:
    """The CDN addresses to purge when the list of articles or the front page's choices change."""
    if changed & {keys.ARTICLES, keys.HOME, keys.FEED}:
        return ["/", reverse("feed:news")]
    return []


# --- Live refresh of the column ---------------------------------------------------------------------

LIVE_STATE_PREFIX = "feed-live:"


def _live_state(version: str) -> dict:
    """The column's rows as HTML with the stamps of its articles, built once per feed version."""
    key = f"{LIVE_STATE_PREFIX}{timezone.localdate().isoformat()}"
    state = cache.get(key)
    if state is None or state["version"] != version:
        rows = fragments.column_rows()
        state = {
            "version": version,
            "html": render_to_string("feed/feed_rows.html", {"rows": rows}),
            "stamps": [row.stamp for row in rows if isinstance(row, queries.FeedItem)],
        }
        cache.set(key, state, 3600)
    return state


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(",")) or header.strip() == "*"


def feed_updates(request):
    """What the column script polls: 304 while the feed is unchanged (no database query), otherwise
    the column's rows and how many of them are newer than the newest one the reader has."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    version = current_versions([keys.FEED])[keys.FEED]
    etag = fragments.feed_etag(version)
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        state = _live_state(version)
        try:
            since = int(request.GET.get("since", ""))
        except ValueError:
            since = None
        count = sum(1 for stamp in state["stamps"] if since is not None and stamp > since)
        response = JsonResponse(
            {
                "count": count,
                "notice": ngettext("%(count)s new item", "%(count)s new items", count) % {"count": count},
                "announcement": ngettext(
                    "%(count)s new item in the news feed", "%(count)s new items in the news feed", count
                )
                % {"count": count},
                "html": state["html"],
            }
        )
    response["ETag"] = etag
    # Browsers and proxies must ask every time; the 304 is what keeps that cheap.
    response["Cache-Control"] = "no-cache"
    return response


# --- Read beacon ------------------------------------------------------------------------------------


@csrf_exempt  # no cookies are read or set; cross-site posts are refused below instead
def read_beacon(request, article_id: int):
    """Count one read of an article. Answers with the fresh total so a cached page can show it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if is_cross_site(request):
        return JsonResponse({"error": _("Reads are counted only from this site's pages.")}, status=403)
    if reads.is_bot(request.headers.get("User-Agent", "")):
        return HttpResponse(status=204)
    token = reads.client_token(request)
    if not reads.allow(token):
        response = JsonResponse({"error": _("Too many requests. Try again in a minute.")}, status=429)
        response["Retry-After"] = "60"
        return response
    known = cache.get(f"{reads.TOTAL_PREFIX}{article_id}") is not None
    if not known and not ArticlePage.objects.live().public().filter(pk=article_id).exists():
        return JsonResponse({"error": _("There is no such article.")}, status=404)
    if reads.first_view(token, article_id):
        total = reads.count_read(article_id)
        counted = True
    else:
        total = reads.total(article_id)
        counted = False
    response = JsonResponse(
        {"counted": counted, "reads": total, "display": number_format(total, force_grouping=True)}
    )
    response["Cache-Control"] = "no-store"
    return response
