"""Each series' base season: the candidate whose seasonal naive forecasts the end of its training part best."""
import numpy as np
import pytest

from core.data.dates import STEPS
from core.models.base_season import base_candidates, choose_period, naive_error


def hourly(weeks: int, weekly: float, noise: float, seed: int, trend: float = 0.0) -> np.ndarray:
    """A daily cycle; with ``weekly`` > 0 the weekend's two days sit lower by that share; ``trend`` a level's rise an hour."""
    t = np.arange(weeks * 168)
    rng = np.random.default_rng(seed)
    weekend = ((t // 24) % 7 >= 5).astype(float)
    return (100 + trend * t + 20 * np.sin(2 * np.pi * t / 24)) * (1 - weekly * weekend) + rng.normal(0, noise, len(t))


def test_known_errors():
    values = np.tile([1.0, 2.0, 3.0], 10)
    assert naive_error(values, 3, 6) == 0.0                       # the period itself repeats exactly
    assert naive_error(values, 1, 3, folds=1) == pytest.approx(1.0)  # last value 3 against 1, 2, 3: errors 2, 1, 0
    assert naive_error(values[:5], 3, 3) == np.inf               # no fold has a whole season before it


@pytest.mark.parametrize("case", range(25))
def test_a_week_is_chosen_where_the_week_repeats_and_a_day_where_the_level_moves(case):
    rng = np.random.default_rng(case)
    weekly, noise, seed, weeks = rng.uniform(0.3, 0.8), rng.uniform(0.0, 3.0), int(rng.integers(10_000)), int(rng.integers(3, 9))
    assert choose_period(hourly(weeks, weekly, noise, seed), (24, 168), 48) == 168
    # a daily cycle whose level rises: a week ago is further from now than a day ago
    assert choose_period(hourly(weeks, 0.0, noise, seed, trend=rng.uniform(0.1, 0.5)), (24, 168), 48) == 24


def test_the_first_candidate_on_ties_and_when_nothing_can_be_measured():
    flat = np.full(400, 5.0)
    assert choose_period(flat, (24, 168), 48) == 24
    assert choose_period(np.arange(30.0), (24, 168), 48) == 24  # too short for a week before any fold


def test_candidates_follow_the_frequency_and_fit_a_window():
    assert base_candidates(24, "h", 1000) == (24, 168)
    assert base_candidates(24, "h", 300) == (24,)          # a week must be seen twice
    assert base_candidates(48, "30min", 2000) == (48, 336)
    assert base_candidates(7, "D", 2000) == (7,)           # a year is longer than any window
    assert base_candidates(1, "W-SUN", 200) == (1,)        # no season, no longer cycle made of it
    assert base_candidates(5, "D", 2000) == (5,)           # a week of 7 days is not made of 5-day seasons
    assert base_candidates(12, "MS", 200) == (12,)
    assert base_candidates(12, STEPS, 500) == (12,)        # without dates no cycle is assumed
