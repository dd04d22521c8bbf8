"""Which season a series' base forecast repeats, chosen per series on the end of its training part.

The global LSTM forecasts a correction to a seasonal naive forecast. Hourly data carry two cycles, a day and a
week; which of the two a series follows depends on the series (a temperature follows the day, an office's load the
week). Each series gets the candidate whose seasonal naive forecast the last few horizons of its own training part
best; the others' errors never enter. On M4 Hourly this choice took the global LSTM from OWA 0.57 to about 0.45
(BENCHMARKS.md).
"""
from __future__ import annotations

import numpy as np

from core.data.dates import STEPS, season_candidates

FOLDS = 4            # horizons at the end of the training part that each candidate forecasts
LONGEST = 336        # no candidate longer than the longest window a network reads


def base_candidates(season: int, freq: str | None, length: int) -> tuple[int, ...]:
    """The season, then the frequency's longer cycles made of whole seasons (a week of 7 days) that fit in a window
    and in ``length`` points. Without dates (steps) nothing says which cycles exist, and without a season (1) no
    longer cycle is made of it: the season alone. A year of weeks is not whole (52.18): offered on M4 Weekly beside the
    last value, it scored worse in two seeds (OWA 0.773 and 0.776 against 0.755 and 0.752)."""
    longer = season_candidates(freq, length) if freq and freq != STEPS and season > 1 else ()
    return (int(season), *sorted(int(c) for c in set(longer) if season < c <= LONGEST and c % season == 0))


def naive_error(values: np.ndarray, period: int, horizon: int, folds: int = FOLDS) -> float:
    """Mean absolute error of the seasonal naive forecast (the last ``period`` values repeated) over the last ``folds``
    horizons of ``values``, each forecast from the values before it; inf when the series is too short for that."""
    values = np.asarray(values, dtype=float)
    errors = []
    for fold in range(folds):
        end = len(values) - fold * horizon
        history = values[:end - horizon]
        if len(history) < period or end - horizon < 1:
            break
        base = np.tile(history[-period:], -(-horizon // period))[:horizon]
        errors.append(np.abs(values[end - horizon:end] - base).mean())
    return float(np.mean(errors)) if errors else float("inf")


def choose_period(values: np.ndarray, candidates: tuple[int, ...], horizon: int, folds: int = FOLDS) -> int:
    """The candidate with the smallest seasonal naive error on the end of ``values``; the first on ties or when no
    candidate can be measured."""
    errors = [naive_error(values, c, horizon, folds) for c in candidates]
    best = int(np.argmin(errors))
    return int(candidates[best]) if np.isfinite(errors[best]) and errors[best] < errors[0] else int(candidates[0])
