"""The focal point picker shown where photos are uploaded (see forms.PolosaImageForm).

Wagtail's own focal point chooser (focal-point-chooser.js, on the image's edit page) runs once per
page on one image and finds its inputs by class, so it cannot serve the multiple uploader's forms,
which arrive one per uploaded file after the page has loaded, nor the chooser's upload tab in a
modal. This widget is a Stimulus controller (static/images/focal-point.js, loaded on every admin
page by wagtail_hooks.py): Stimulus starts it on any form that appears. It writes the form's four
hidden focal point inputs, in pixels of the upright picture.
"""

from __future__ import annotations

import logging

from django import forms
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What the picker shows of an uploaded image: big enough to aim at a face, small to make.
PICKER_FILTER = "max-600x450"


class FocalPointWidget(forms.Widget):
    """A picture to click or drag a box on. Without a stored image (the add page, the chooser's
    upload tab) it shows the file chosen in the same form, read in the browser before the upload."""

    template_name = "images/widgets/focal_point.html"

    def __init__(self, image=None, attrs=None):
        super().__init__(attrs)
        self.image = image

    def id_for_label(self, id_):
        return id_  # the picture takes the focus; the label names it

    def value_from_datadict(self, data, files, name):
        return None  # the four hidden inputs carry the values

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(picture=self._picture(), texts=TEXTS)
        return context

    def _picture(self) -> dict | None:
        image = self.image
        if image is None or not image.file:
            return None
        from .forms import upright_size

        try:
            rendition = image.get_rendition(PICKER_FILTER)
            with image.open_file() as file:
                size = upright_size(file)
        except Exception as error:  # a missing or damaged file: the form works without the picker
            logger.warning("no focal point picker for image %s: %s", image.pk, error)
            return None
        if size is None:
            return None
        return {"url": rendition.url, "width": size[0], "height": size[1], "alt": image.title}


TEXTS = {
    "role": _("focal point picker"),
    "remove": _("Remove the focal point"),
    "none": _("No focal point: crops keep the centre."),
    # Read out to screen-reader users, and shown as the picture's title.
    "keys": _("Arrow keys move the focal point, Shift moves it faster, Delete removes it."),
    "set": _("Focal point set."),
}
