"""The search page's filters that name a thing: ?section=, ?tag=, ?since=, ?until=."""

from django import forms

from polosa.core.forms import DayField, SlugParamField


class SearchFilterForm(forms.Form):
    # 200, the length of a tag's slug, bounds section slugs too.
    section = SlugParamField(max_length=200)
    tag = SlugParamField(max_length=200)
    since = DayField()
    until = DayField()
