"""The wire benchmark runs end to end on a small set and cleans up after itself."""

from io import StringIO

import pytest

from benchmarks import wire
from polosa.wire.models import RawDocument, Source, WireItem


@pytest.mark.django_db
def test_a_small_wire_benchmark_is_measured_correct_and_cleaned_up(section, settings):
    out = StringIO()
    result = wire.run(300, 400, runs=2, stream=out, latency_drops=0)
    assert result["refused_documents"] == 0
    assert result["dedup"]["correct"]
    assert result["dedup"]["retold_pairs_grouped"] == result["dedup"]["retold_pairs"]
    assert result["dedup"]["grouped_without_a_planted_twin"] == 0
    assert result["inbox_rows"] >= 400
    assert set(result["inbox_latency"]) >= {"first_page", "agency", "words"}
    assert "items/s" in out.getvalue()
    assert result["push_to_inbox"]["in_inbox_at_answer"] == 2
    assert not Source.objects.exists()
    assert not WireItem.objects.exists()
    assert not RawDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_folder_to_inbox_is_timed_with_the_worker_scheduler_running(tmp_path):
    """The scheduler runs in its own thread, so the source must be committed: a transactional test."""
    Source.objects.create(
        name="Бенчмарк", slug="bench-wire-latency", agency="Бенч", kind="folder", folder=str(tmp_path)
    )
    for interval in (0.2, 0.3):  # as the benchmark does: the default interval, then a shorter one
        figures = wire.folder_to_inbox(tmp_path, drops=2, interval=interval)
        assert figures["drops"] == figures["within_5_s"] == 2
        # A file waits for the folder's settle time (0.5 s) and at most one tick of the scheduler.
        assert 0.5 <= figures["p50_s"] <= figures["max_s"] < 5
    assert WireItem.objects.filter(guid__startswith="urn:bench:latency").count() == 4
