"""Named places in the page shell that apps fill without editing each other's templates.

A slot is filled through Wagtail's hooks: an app registers a component in its ``wagtail_hooks.py``
under the hook ``polosa_slot_<slot>``::

    from wagtail import hooks

    from . import widget

    hooks.register("polosa_slot_sidebar", widget.rates_widget, order=5)

A component is ``component(request, context) -> str`` returning HTML, or "" to stay hidden (a
widget without data is hidden, never filled with made-up values). It must record its cache
dependencies with ``polosa.caching.depends_on`` like any view. Components run in ascending ``order``
(Wagtail's default is 0); components of equal order run in ``INSTALLED_APPS`` order, so give
distinct orders where the sequence matters (tags in ``<head>``).

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

from collections.abc import Callable, Mapping

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

Component = Callable[[HttpRequest, Mapping], str]

HOOK_PREFIX = "polosa_slot_"


def hook_name(slot: str) -> str:
    """The Wagtail hook that fills `slot`."""
    return HOOK_PREFIX + slot


def render(slot: str, request: HttpRequest, context: Mapping) -> SafeString:
    parts = []
    for component in hooks.get_hooks(HOOK_PREFIX + slot):
        html = component(request, context)
        if html:
            parts.append(conditional_escape(html))
    return mark_safe("".join(parts))
