"""Where promos appear: feed rows, the front-page block, beside articles, on cards, above an article.

Everything here renders into shared, cached HTML (the feed column is one fragment for every reader),
so nothing depends on the request: each piece records the ``promos`` key and, for display windows,
the moment its set of promos next changes (``valid_until``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from polosa.caching import current_recorder, current_versions, depends_on, includes, keys, valid_until
from polosa.feed import inserts

from . import links
from .models import EventPromo, ItemKind, PartnerArticlePage, SpecialProjectPage, marking_line

ASIDE_MAX = 2
HOME_MAX = 4


@dataclass(frozen=True)
class Promo:
    """One placed promo, ready for a template: an event or a special project."""

    kind: str
    id: int
    title: str
    teaser: str
    href: str  # where the card leads (the click counter for outbound links)
    outbound: bool
    marking: str
    cta: str = ""
    when: datetime | None = None
    place: str = ""
    image: object = None
    hashtag: str = ""
    accent_class: str = ""
    feed_position: int | None = None
    on_home: bool = False
    in_article_aside: bool = False
    show_from: datetime | None = None
    show_until: datetime | None = None

    def showing_at(self, moment: datetime) -> bool:
        return (self.show_from is None or self.show_from <= moment) and (
            self.show_until is None or moment < self.show_until
        )

    @property
    def item(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def rel(self) -> str:
        return links.SPONSORED_REL if self.outbound else ""


def click_url(kind: str, object_id: int, erid: str) -> str:
    """The counting redirect for an outbound ad link; the erid rides along in its query too."""
    return links.with_erid(reverse("promos:click", args=[kind, object_id]), erid)


def accent_class(project_id: int) -> str:
    return f"accent-{project_id}"


def next_change(promos: list[Promo], now: datetime) -> datetime | None:
    """The next moment a display window opens or closes, so cached HTML is cut there."""
    moments = [m for p in promos for m in (p.show_from, p.show_until) if m and m > now]
    return min(moments) if moments else None


def _live_promos(now: datetime) -> list[Promo]:
    """Every live, marked promo whose window has not closed: two queries."""
    found = []
    events = (
        EventPromo.objects.filter(live=True)
        .filter(Q(show_until__isnull=True) | Q(show_until__gt=now))
        .select_related("advertiser", "image")
        .order_by("feed_position", "-pk")
    )
    for event in events:
        if event.marking_errors():  # never show an unmarked ad, whatever the database says
            continue
        found.append(
            Promo(
                kind=ItemKind.EVENT,
                id=event.pk,
                title=event.title,
                teaser=event.teaser,
                href=click_url(ItemKind.EVENT, event.pk, event.erid),
                outbound=True,
                marking=event.marking_line,
                cta=event.cta_text,
                when=event.starts_at,
                place=event.place,
                image=event.image,
                feed_position=event.feed_position,
                on_home=event.on_home,
                in_article_aside=event.in_article_aside,
                show_from=event.show_from,
                show_until=event.show_until,
            )
        )
    projects = (
        # Not .public(): that costs a query per render; a project behind a password is not a promo.
        SpecialProjectPage.objects.live()
        .filter(view_restrictions__isnull=True)
        .filter(Q(show_until__isnull=True) | Q(show_until__gt=now))
        .select_related("advertiser", "image")
        .order_by("feed_position", "-pk")
    )
    for project in projects:
        if project.marking_errors():
            continue
        found.append(
            Promo(
                kind=ItemKind.PROJECT,
                id=project.pk,
                title=project.title,
                teaser=project.intro,
                href=project.url,
                outbound=False,
                marking=project.marking_line,
                hashtag=project.hashtag_label,
                image=project.image,
                accent_class=accent_class(project.pk),
                feed_position=project.feed_position,
                on_home=project.on_home,
                in_article_aside=project.in_article_aside,
                show_from=project.show_from,
                show_until=project.show_until,
            )
        )
    return found


def showing_promos(now: datetime | None = None) -> list[Promo]:
    """Events and special projects inside their display window at `now`.

    The live promos are kept in the cache under the ``promos`` version, so a page shows them without
    a query until a promo changes or a display window opens or closes.
    """
    now = now or timezone.now()
    version = promos_version()
    key = f"promos:live:{version}"
    entry = cache.get(key)
    if entry is None or (entry["until"] is not None and entry["until"] <= now):
        promos = _live_promos(now)
        until = next_change(promos, now)
        entry = {"promos": promos, "until": until}
        seconds = 3600 if until is None else max(1, min(3600, int((until - now).total_seconds())))
        cache.set(key, entry, seconds)
    valid_until(next_change(entry["promos"], now))
    return [p for p in entry["promos"] if p.showing_at(now)]


# --- Feed rows ------------------------------------------------------------------------------------


def feed_rows(placement: inserts.Placement):
    """The feed-insert provider: promos with a feed position, on the column and the first /news/ page."""
    if placement.surface == inserts.PAGE and (not placement.first_page or placement.day is not None):
        return
    for promo in showing_promos():
        if promo.feed_position:
            html = render_to_string("promos/feed_row.html", {"promo": promo, "surface": placement.surface})
            yield inserts.FeedInsert(position=promo.feed_position, html=html, key=promo.item)


# --- Slots ----------------------------------------------------------------------------------------


def home_block(request, context) -> str:
    """ "Партнерские проекты" under the front page's section blocks (an edge include)."""
    return includes.include("promos-home")


def render_home_block() -> str:
    promos = [p for p in showing_promos() if p.on_home][:HOME_MAX]
    if not promos:
        return ""
    return render_to_string("promos/home_block.html", {"promos": promos})


def article_aside(request, context) -> str:
    """Promos beside an article's body (never beside a partner article: one advertiser per page)."""
    page = context.get("page")
    if isinstance(page, PartnerArticlePage):
        return ""
    return includes.include("promos-aside")


def render_aside() -> str:
    promos = [p for p in showing_promos() if p.in_article_aside][:ASIDE_MAX]
    if not promos:
        return ""
    return render_to_string("promos/aside.html", {"promos": promos})


def article_top(request, context) -> str:
    """The partner article's label and marking, first thing in the article, before the headline."""
    page = context.get("page")
    if not isinstance(page, PartnerArticlePage):
        return ""
    depends_on(keys.PROMOS)
    if page.marking_errors():  # only a preview of a draft gets here; say what is missing
        return render_to_string("promos/article_marking.html", {"page": page, "unmarked": True})
    href = ""
    if page.advertiser.url:
        href = click_url(ItemKind.ARTICLE, page.pk, page.erid)
    project = page.special_project
    if project is not None:
        depends_on(keys.page(project.pk))
    return render_to_string(
        "promos/article_marking.html",
        {"page": page, "href": href, "rel": links.SPONSORED_REL, "project": project},
    )


def assets(request, context) -> str:
    """The promos' stylesheet, the accent colours (a stylesheet too: the CSP allows no inline style)
    and the impression counter's script."""
    return render_to_string("promos/assets.html", {"version": promos_version()})


# --- Card marking ---------------------------------------------------------------------------------


def promos_version() -> str:
    """The current version of the ``promos`` key, recorded into the response being rendered."""
    depends_on(keys.PROMOS)
    recorder = current_recorder()
    if recorder is not None and keys.PROMOS in recorder.versions:
        return recorder.versions[keys.PROMOS]
    return current_versions([keys.PROMOS])[keys.PROMOS]


# A version's markings never change (any change gives a new version), so a process may keep them.
_memo: dict[str, dict[int, tuple[str, str, str]]] = {}


def partner_markings() -> dict[int, tuple[str, str, str]]:
    """{article id: (advertiser, ИНН, erid)} of every live, marked partner article."""
    version = promos_version()
    found = _memo.get(version)
    if found is None:
        key = f"promos:markings:{version}"
        found = cache.get(key)
        if found is None:
            rows = (
                PartnerArticlePage.objects.live()
                .filter(advertiser__isnull=False)
                .exclude(erid="")
                .values_list("pk", "advertiser__name", "advertiser__inn", "erid")
            )
            found = {pk: (name, inn, erid) for pk, name, inn, erid in rows}
            cache.set(key, found, 24 * 3600)
        if version != "missing":  # a cache outage must not pin old markings in this process
            _memo.clear()
            _memo[version] = found
    return found


def card_marking(item, style: str) -> str:
    """The «Партнерский проект» label and marking line on any card of a partner article."""
    from polosa.core.markings import item_id

    pk = item_id(item)
    if pk is None:
        return ""
    marking = partner_markings().get(pk)
    if marking is None:
        return ""
    return render_to_string(
        "promos/card_marking.html", {"line": marking_line(*marking), "style": style, "item": f"article:{pk}"}
    )


def edge_includes() -> list[includes.Include]:
    """The pieces this app declares (hook ``polosa_includes``)."""
    # Edge includes: a promo change re-renders these once, not every page beside them.
    return [
        includes.Include("promos-home", lambda params: render_home_block()),
        includes.Include("promos-aside", lambda params: render_aside()),
    ]
