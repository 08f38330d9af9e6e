"""The /news/ page's filters: ?section= and ?date=."""

from django import forms
from django.utils.translation import gettext_lazy as _

from polosa.core.forms import DayField, SlugParamField


class NewsFilterForm(forms.Form):
    section = SlugParamField(max_length=255, error_messages={"invalid": _("There is no such section.")})
    date = DayField()
