"""Ids in URLs stay within what the database can hold: a larger number is 404, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from polosa.core.converters import MAX_ID, IdConverter


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_the_id_converter_refuses_numbers_past_the_database_range():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError, match="id"):
        converter.to_python(str(MAX_ID + 1))
    assert converter.to_url(7) == "7"


def test_polosa_urls_take_ids_through_the_bounded_converter():
    # Django's own `int` accepts any length; Wagtail's admin URLs are not ours to change.
    unbounded = [
        route
        for route, pattern in _patterns(get_resolver())
        if pattern.lookup_str.startswith("polosa.")
        and any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    ]
    assert unbounded == []
