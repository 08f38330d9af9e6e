"""The search box in every page's header (slot ``header_tools``)."""

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html


def search_box(request, context) -> str:
    # Static markup: it shows no data, so it records no cache dependency.
    return render_to_string("search/search_box.html", {"query": ""}, request=request)


def assets(request, context) -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("search/search.css"))
