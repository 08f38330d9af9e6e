"""The wire benchmark runs end to end on a small set and cleans up after itself."""

from io import StringIO

import pytest

from benchmarks import wire
from polosa.wire.models import RawDocument, Source, WireItem


@pytest.mark.django_db
def test_a_small_wire_benchmark_is_measured_correct_and_cleaned_up(section, settings):
    out = StringIO()
    result = wire.run(300, 400, runs=2, stream=out)
    assert result["refused_documents"] == 0
    assert result["dedup"]["correct"]
    assert result["dedup"]["retold_pairs_grouped"] == result["dedup"]["retold_pairs"]
    assert result["dedup"]["grouped_without_a_planted_twin"] == 0
    assert result["inbox_rows"] >= 400
    assert set(result["inbox_latency"]) >= {"first_page", "agency", "words"}
    assert "items/s" in out.getvalue()
    assert not Source.objects.exists()
    assert not WireItem.objects.exists()
    assert not RawDocument.objects.exists()
