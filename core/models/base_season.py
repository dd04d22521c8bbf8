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
    """The season and the frequency's longer cycles that fit in a window and in ``length`` points (season first).
    Without dates (steps) nothing says which cycles exist: the season alone."""
    longer = season_candidates(freq, length) if freq and freq != STEPS else ()
    return (int(season), *sorted(int(c) for c in set(longer) if season < c <= LONGEST))


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
