"""The shared chart arithmetic: scales in both directions and round grid steps."""

import pytest

from polosa.core.charts import Scale, nice_step


def test_a_value_axis_counts_upwards_in_a_picture_that_counts_downwards():
    y = Scale(low=0, high=100, start=200, end=20)
    assert y(0) == 200
    assert y(100) == 20
    assert y(50) == 110


def test_an_empty_range_lands_in_the_middle():
    assert Scale(low=3, high=3, start=10, end=110)(3) == 60


@pytest.mark.parametrize(
    ("span", "step"), [(10, 2), (1, 0.2), (0.012, 0.0025), (0.013, 0.005), (730, 200), (0, 1)]
)
def test_grid_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(span, step):
    assert nice_step(span) == pytest.approx(step)
