"""Named places in the page shell that apps fill without editing each other's templates.

An app registers a component for a slot in its ``AppConfig.ready()``::

    from polosa.core import slots
    slots.register("sidebar", order=20)(render_rates_widget)

A component is ``component(request, context) -> str`` returning HTML, or "" to stay hidden (a
widget without data is hidden, never filled with made-up values). It must record its cache
dependencies with ``polosa.caching.depends_on`` like any view.

Slots in the base template:
    page_top          above the header, full width (the breaking-news banner)
    header_tools      in the header, after the section navigation (search)
    sidebar           the column beside every public page (news feed, rates, live, promos)
    home_top          first on the home page, above the main story (open live blogs, «Онлайн»)
    home_widgets      the home page's row of widgets (rates, live broadcast)
    home_blocks       extra blocks on the home page under the section blocks (partner projects)
    article_top       first thing inside an article, before the rubric (ad marking of partner material)
    article_counters  after the rubric and story line (read counter)
    article_header_end  after the byline (corrections and update notes)
    article_aside     beside an article's body (promos)
    article_footer    after an article's tags
    head              extra tags in <head> (alternate feeds)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

Component = Callable[[HttpRequest, Mapping], str]


@dataclass(frozen=True)
class Registration:
    order: int
    name: str
    component: Component


_registry: dict[str, list[Registration]] = {}


def register(slot: str, order: int = 50) -> Callable[[Component], Component]:
    def decorator(component: Component) -> Component:
        entries = _registry.setdefault(slot, [])
        name = f"{component.__module__}.{component.__qualname__}"
        if not any(e.name == name for e in entries):
            entries.append(Registration(order, name, component))
            entries.sort(key=lambda e: (e.order, e.name))
        return component

    return decorator


def components(slot: str) -> list[Registration]:
    return list(_registry.get(slot, ()))


def render(slot: str, request: HttpRequest, context: Mapping) -> SafeString:
    parts = []
    for entry in _registry.get(slot, ()):
        html = entry.component(request, context)
        if html:
            parts.append(conditional_escape(html))
    return mark_safe("".join(parts))
