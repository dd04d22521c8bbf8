"""The one model protocol every forecaster follows, and the Forecast it returns."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from scipy.stats import norm

from core.errors import DataError

def no_progress(fraction: float, message: str) -> None:  # default on_progress
    return None


@dataclass(frozen=True)
class Forecast:
    """Point forecast with a central prediction interval at ``level`` (e.g. 0.9)."""

    index: pd.DatetimeIndex
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    level: float

    def __post_init__(self):
        n = len(self.index)
        for name in ("mean", "lower", "upper"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"Forecast.{name} has {len(getattr(self, name))} values for {n} dates")

    def to_frame(self) -> pd.DataFrame:
        pct = int(round(self.level * 100))
        return pd.DataFrame(
            {"model": self.model, "mean": self.mean, f"lower_{pct}": self.lower, f"upper_{pct}": self.upper},
            index=self.index.rename("date"),
        )

    def exp(self) -> "Forecast":
        """Back from a log scale to the original one."""
        return Forecast(self.index, np.exp(self.mean), np.exp(self.lower), np.exp(self.upper), self.model, self.level)


@runtime_checkable
class Forecaster(Protocol):
    name: str
    level: float

    def fit(self, series: pd.Series, covariates: pd.DataFrame | None = None) -> "Forecaster": ...

    def predict(self, horizon: int) -> Forecast: ...


def future_index(series: pd.Series, horizon: int) -> pd.DatetimeIndex:
    freq = series.index.freq or pd.infer_freq(series.index)
    if freq is None:
        raise DataError("The series has no regular frequency; clean it on the Data page first.")
    return pd.date_range(series.index[-1], periods=horizon + 1, freq=freq)[1:]


def check_series(series: pd.Series, minimum: int, model: str) -> np.ndarray:
    values = series.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise DataError(f"{model} needs a series without gaps; fill the gaps on the Data page (Cleaning options → Gaps).")
    if len(values) < minimum:
        raise DataError(f"{model} needs at least {minimum} points to fit; the training part has {len(values)}. "
                        "Use a shorter horizon or test size, or a longer series.")
    return values


def check_horizon(horizon: int) -> int:
    if int(horizon) < 1:
        raise DataError("The horizon must be at least 1 step.")
    return int(horizon)


def normal_interval(mean: np.ndarray, sigma: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    z = norm.ppf(0.5 + level / 2)
    return mean - z * sigma, mean + z * sigma


class FittedGuard:
    """Mixin: predict before fit raises ValueError with a sentence."""

    def _require_fit(self) -> None:
        if getattr(self, "series_", None) is None:
            raise ValueError(f"{self.name} has not been fitted yet; call fit(series) before predict(horizon).")
