"""The rates backfill benchmark runs end to end on a short range."""

from io import StringIO

import pytest

from benchmarks import rates_backfill
from polosa.rates.models import Rate


@pytest.mark.django_db
def test_a_short_backfill_is_measured_and_cleaned_up():
    out = StringIO()
    result = rates_backfill.run(14, stream=out)
    assert result["documents"] == 10  # two weeks of Tuesday-to-Saturday documents
    assert result["rates_stored"] == 10 * 13
    assert result["unchanged_on_repeat"] == 10 * 13
    assert "14-day backfill from saved documents" in out.getvalue()
    assert not Rate.objects.filter(date__year=2019).exists()
