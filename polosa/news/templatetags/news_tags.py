from django import template
from django.template.loader import render_to_string

from polosa.caching import cached_fragment, depends_on, keys
from polosa.news.models import SectionPage

register = template.Library()


def _render_section_nav() -> str:
    depends_on(keys.SITE)
    sections = SectionPage.objects.live().public().filter(show_in_menus=True).order_by("path")
    return render_to_string("news/section_nav.html", {"sections": [(s.title, s.url) for s in sections]})


@register.simple_tag
def section_nav():
    return cached_fragment("section-nav", _render_section_nav, timeout=3600)
