"""Admin assets of the images app."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def focal_point_picker_js():
    # On every admin page, not as form media: the chooser's upload tab opens in a modal whose
    # form media is never loaded, and the multiple uploader adds its forms after the page loads.
    return format_html('<script src="{}" defer></script>', static("images/focal-point.js"))


@hooks.register("insert_global_admin_css")
def focal_point_picker_css():
    return format_html('<link rel="stylesheet" href="{}">', static("images/focal-point.css"))
