"""What the page cache adds to the page shell."""

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

from . import pages


def include_script(request, context) -> str:
    """The script that fills client-side includes, on every page when they are on."""
    if settings.POLOSA_EDGE_INCLUDES != pages.CLIENT:
        return ""
    return format_html('<script src="{}" defer></script>', static("caching/includes.js"))
