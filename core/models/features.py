"""Deterministic regressors shared by the regression and ARIMA models: trend and Fourier terms."""
from __future__ import annotations

import numpy as np


def fourier_terms(t: np.ndarray, season: int, pairs: int) -> np.ndarray:
    """sin/cos pairs k = 1..pairs of period ``season`` at integer times t; shape (len(t), 2*pairs)."""
    if season < 2 or pairs < 1:
        return np.empty((len(t), 0))
    columns = []
    for k in range(1, pairs + 1):
        angle = 2 * np.pi * k * np.asarray(t, dtype=float) / season
        if 2 * k != season:  # sin(pi t) is zero at every integer t: leave it out
            columns.append(np.sin(angle))
        columns.append(np.cos(angle))
    return np.column_stack(columns)


def default_pairs(season: int) -> int:
    """Enough harmonics to draw the seasonal shape, few enough not to overfit."""
    return int(min(season // 2, 6 if season <= 24 else 10))


def seasonal_design(t: np.ndarray, seasons: tuple[int, ...], pairs: tuple[int, ...] | None = None) -> np.ndarray:
    pairs = pairs or tuple(default_pairs(s) for s in seasons)
    blocks = [fourier_terms(t, s, p) for s, p in zip(seasons, pairs)]
    return np.column_stack(blocks) if blocks else np.empty((len(t), 0))
