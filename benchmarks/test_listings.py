"""The listings benchmark measures real cold renders (never a page-cache hit) of the pages it names."""

import io

import pytest
from django.test import Client

from benchmarks import generate, listings


@pytest.mark.django_db
def test_measures_news_and_section_pages_cold(section):
    generate.generate(articles=45, days=3, tags_count=10, batch=20, seed=3, stream=io.StringIO())
    client = Client(HTTP_HOST="127.0.0.1")
    urls = listings.pages_to_measure(client)
    assert set(urls) == {"news", "news page 2", "section", "section page 2"}
    assert "after=" in urls["section page 2"]
    for kind in ("page", "all"):
        timings = listings.measure(client, urls["news"], 3, kind, "127.0.0.1")
        assert len(timings) == 3
        assert all(t > 0 for t in timings)


def test_percentiles():
    values = [float(n) for n in range(1, 101)]
    assert listings.percentile(values, 0.5) == 50.0 or listings.percentile(values, 0.5) == 51.0
    assert listings.percentile(values, 0.99) == 99.0
    assert listings.percentile([], 0.5) == 0.0
