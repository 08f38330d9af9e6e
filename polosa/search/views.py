"""The search page /search/?q=…: results, filters, offered tags and notes about ignored input."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from polosa.caching import TRACKING_PARAMS, depends_on, keys, valid_until
from polosa.news.models import Tag
from polosa.news.sections import find_section, menu_sections

from .forms import SearchFilterForm
from .service import SearchFilters, search_articles

# Not "from"/"to": the page cache drops "from" from its key as a tracking parameter.
KNOWN_PARAMS = {"q", "section", "tag", "since", "until", "news", "page"}
MAX_PAGE_PARAM = 6  # digits
MAX_NOTED_FILTERS = 5


def parse_filters(params, sections) -> tuple[SearchFilters, list[str], dict[str, str]]:
    """Filters from the query string; anything unknown or malformed is ignored with a note."""
    filters = SearchFilters()
    notes: list[str] = []
    kept: dict[str, str] = {}
    unknown = sorted(
        n for n in set(params.keys()) if n not in KNOWN_PARAMS and not n.startswith(TRACKING_PARAMS)
    )
    # One note per unknown filter, but never a page of them for a crafted URL.
    for name in unknown[:MAX_NOTED_FILTERS]:
        notes.append(_("The filter “%(name)s” is not known and was ignored.") % {"name": name[:40]})
    form = SearchFilterForm(params)
    form.is_valid()
    if params.get("section", "").strip():
        slug = form.cleaned_data.get("section")
        section = find_section(slug, among=sections) if slug else None
        if section is None:
            notes.append(_("There is no such section; the search covers all sections."))
        else:
            filters.section = section
            kept["section"] = slug
    if params.get("tag", "").strip():
        slug = form.cleaned_data.get("tag")
        tag = Tag.objects.filter(slug=slug).first() if slug else None
        if tag is None:
            notes.append(_("There is no such tag; the search covers all tags."))
        else:
            filters.tag = tag
            kept["tag"] = slug
    for param, attr in (("since", "date_from"), ("until", "date_to")):
        raw = params.get(param, "").strip()
        if raw:
            day = form.cleaned_data.get(param)
            if day is None:
                notes.append(
                    _("The date “%(value)s” was not understood (use YYYY-MM-DD).") % {"value": raw[:20]}
                )
            else:
                setattr(filters, attr, day)
                kept[param] = day.isoformat()
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        filters.date_from, filters.date_to = filters.date_to, filters.date_from
        kept["since"], kept["until"] = filters.date_from.isoformat(), filters.date_to.isoformat()
    if params.get("news") == "1":
        filters.news_only = True
        kept["news"] = "1"
    return filters, notes, kept


def _page(params) -> int:
    raw = params.get("page", "1").strip()
    if not raw.isdigit() or len(raw) > MAX_PAGE_PARAM:
        return 1
    return max(1, int(raw))


def search_page(request):
    # Results change with every publish (articles) and with time (recency ranking), so a results
    # page is cached only briefly: until the next publish or POLOSA_SEARCH_CACHE_SECONDS.
    depends_on(keys.ARTICLES, keys.SITE)
    valid_until(timezone.now() + timedelta(seconds=settings.POLOSA_SEARCH_CACHE_SECONDS))
    sections = menu_sections()
    filters, notes, kept = parse_filters(request.GET, sections)
    raw_query = request.GET.get("q", "")
    results = search_articles(raw_query, filters, page=_page(request.GET))
    if results.query.truncated:
        notes.append(_("The query was too long; only its beginning was searched."))
    for tag in results.tags:
        depends_on(keys.tag(tag.pk))
    base_query = {"q": results.query.text, **kept}
    context = {
        "results": results,
        "query": results.query.text,
        "searched": bool(raw_query.strip()),
        "sections": sections,
        "filters": filters,
        "kept": kept,
        "notes": notes,
        "base_query": urlencode(base_query),
        "canonical_url": settings.SITE_URL + reverse("search:search"),
    }
    if results.has_next:
        context["next_query"] = urlencode({**base_query, "page": results.page + 1})
    if results.has_previous:
        context["previous_query"] = urlencode({**base_query, "page": results.page - 1})
    return render(request, "search/search_page.html", context)
