"""Naive, seasonal naive and M4's Naive2: the references every score is judged by."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import DataError
from core.i18n import N_, Text
from core.models.base import Forecast, Forecaster, future_index, normal_interval


def naive_forecast(values: np.ndarray, horizon: int) -> np.ndarray:
    return np.full(horizon, values[-1], dtype=float)


def seasonal_naive_forecast(values: np.ndarray, horizon: int, season: int) -> np.ndarray:
    last_season = values[-season:]
    return np.array([last_season[h % season] for h in range(horizon)], dtype=float)


def is_seasonal(values: np.ndarray, season: int) -> bool:
    """M4's 90% autocorrelation test at the seasonal lag (needs three full seasons)."""
    n = len(values)
    if season <= 1 or n < 3 * season:
        return False
    centred = values - values.mean()
    denom = float(centred @ centred)
    if denom == 0:
        return False
    acf = np.array([centred[k:] @ centred[:-k] for k in range(1, season + 1)]) / denom
    limit = 1.645 / np.sqrt(n) * np.sqrt(1 + 2 * np.sum(acf[: season - 1] ** 2))
    return bool(abs(acf[season - 1]) > limit)


def seasonal_indices(values: np.ndarray, season: int) -> np.ndarray:
    """Classical multiplicative decomposition's seasonal figure (normalised to mean 1), one per position."""
    n = len(values)
    if season % 2 == 0:
        weights = np.r_[0.5, np.ones(season - 1), 0.5] / season
    else:
        weights = np.ones(season) / season
    trend = np.convolve(values, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    ratios = np.full(n, np.nan)
    ratios[offset:offset + len(trend)] = values[offset:offset + len(trend)] / trend
    figure = np.array([np.nanmean(ratios[pos::season]) for pos in range(season)])
    return figure / figure.mean()


def naive2_forecast(values: np.ndarray, horizon: int, season: int) -> tuple[np.ndarray, np.ndarray]:
    """Naive on the seasonally adjusted series, re-seasonalised (M4's Naive2). Returns forecast and in-sample fit."""
    if is_seasonal(values, season):
        figure = seasonal_indices(values, season)
        position = np.arange(len(values)) % season
        adjusted = values / figure[position]
        future_pos = (np.arange(len(values), len(values) + horizon)) % season
        return naive_forecast(adjusted, horizon) * figure[future_pos], figure[position]
    return naive_forecast(values, horizon), np.ones(len(values))


class _Reference(Forecaster):
    """Shared set-up of the reference models: a season and an interval level."""

    def __init__(self, season: int = 1, level: float = 0.9):
        self.season = int(season)
        self.level = level

    def _fit(self, series: pd.Series, covariates, *, on_progress, on_epoch) -> None:
        self.values_ = series.to_numpy(dtype=float)

    def _interval(self, mean: np.ndarray, residuals: np.ndarray, steps: np.ndarray):
        sigma = np.sqrt(np.nanmean(residuals ** 2)) if len(residuals) else 0.0
        return normal_interval(mean, sigma * np.sqrt(steps), self.level)


class Naive(_Reference):
    """Every future value equals the last one (a random walk)."""

    name = N_("Naive")

    def __init__(self, level: float = 0.9):
        super().__init__(1, level)

    def _predict(self, horizon: int) -> Forecast:
        mean = naive_forecast(self.values_, horizon)
        lower, upper = self._interval(mean, np.diff(self.values_), np.arange(1, horizon + 1))
        return Forecast(future_index(self.series_, horizon), mean, lower, upper, self.name, self.level)


class SeasonalNaive(_Reference):
    """Every future value equals the value one season earlier."""

    name = N_("Seasonal naive")

    @property
    def minimum_points(self) -> int:
        return self.season + 1

    def _check(self, series) -> pd.Series:
        if self.season < 2:
            raise DataError(Text("Seasonal naive needs a season of at least 2 steps; with no season, use Naive."))
        return super()._check(series)

    def _predict(self, horizon: int) -> Forecast:
        mean = seasonal_naive_forecast(self.values_, horizon, self.season)
        residuals = self.values_[self.season:] - self.values_[:-self.season]
        lower, upper = self._interval(mean, residuals, np.arange(horizon) // self.season + 1)
        return Forecast(future_index(self.series_, horizon), mean, lower, upper, self.name, self.level)


class Naive2(_Reference):
    """M4's Naive2: naive after a classical multiplicative seasonal adjustment (when the data are seasonal)."""

    name = N_("Naive2")

    def _predict(self, horizon: int) -> Forecast:
        mean, fitted_figure = naive2_forecast(self.values_, horizon, self.season)
        adjusted = self.values_ / fitted_figure
        scale = mean / max(abs(adjusted[-1]), 1e-12) if adjusted[-1] != 0 else np.ones(horizon)
        lower, upper = self._interval(np.full(horizon, adjusted[-1]), np.diff(adjusted), np.arange(1, horizon + 1))
        lower, upper = np.minimum(lower * scale, upper * scale), np.maximum(lower * scale, upper * scale)
        return Forecast(future_index(self.series_, horizon), mean, lower, upper, self.name, self.level)
