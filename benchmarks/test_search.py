"""The search benchmark indexes generated articles and times real searches."""

import io

import pytest

from benchmarks import generate
from benchmarks import search as bench


@pytest.mark.django_db
def test_indexes_generated_articles_and_measures_queries(section):
    generate.generate(articles=30, days=3, tags_count=5, batch=10, seed=5, stream=io.StringIO())
    assert bench.ensure_index(stream=io.StringIO()) == 30
    assert bench.ensure_index(stream=io.StringIO()) == 0
    cpu: list[float] = []
    timings, matches = bench.measure("Ветрова", 3, cpu)
    assert len(timings) == len(cpu) == 3
    assert all(t > 0 for t in timings)
    assert matches > 0  # every generated paragraph names one of the generator's people
    assert bench.measure("самолёт", 1)[1] == 0
