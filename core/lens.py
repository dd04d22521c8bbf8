"""Looking inside a fitted LSTMForecaster on the user's own dated series: windows, traces, what-if edits."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import gates
from core.windows import input_windows


@dataclass(frozen=True)
class Window:
    dates: pd.DatetimeIndex   # the lookback steps
    values: np.ndarray        # target values in the model's units
    covariates: np.ndarray | None
    end: int                  # position of the last step in the series


def series_arrays(model, series: pd.Series, covariates: pd.DataFrame | None):
    values = series.to_numpy(dtype=float)
    cov = None
    if getattr(model, "covariate_names_", None):
        cov = covariates[model.covariate_names_].reindex(series.index).to_numpy(dtype=float)
    return values, cov


def window_at(model, series: pd.Series, covariates: pd.DataFrame | None, end: int) -> Window:
    values, cov = series_arrays(model, series, covariates)
    lookback = model.lookback_
    if not lookback - 1 <= end < len(values):
        raise ValueError(f"A window needs {lookback} steps; position {end} is outside 0..{len(values) - 1}.")
    start = end - lookback + 1
    return Window(series.index[start:end + 1], values[start:end + 1], None if cov is None else cov[start:end + 1], end)


def prepared(model, window: Window) -> tuple[np.ndarray, float]:
    x, anchor = input_windows(window.values, window.covariates, model.lookback_, model.scaling_)
    return x, float(anchor[0])


def trace_window(model, window: Window) -> list[gates.GateTrace]:
    x, _ = prepared(model, window)
    return gates.replay(gates.lstm_weights(model.model_), x, keep="all")


def forecast_from(model, window: Window) -> np.ndarray:
    x, anchor = prepared(model, window)
    return model.forecast_window(x, anchor)[0]


def history_trace(model, series: pd.Series, covariates: pd.DataFrame | None) -> tuple[pd.DatetimeIndex, list[gates.GateTrace]]:
    """Gates at the last step of the window ending at each date (every date with a full lookback)."""
    values, cov = series_arrays(model, series, covariates)
    x, _ = input_windows(values, cov, model.lookback_, model.scaling_)
    traces = gates.replay(gates.lstm_weights(model.model_), x, keep="last")
    return series.index[model.lookback_ - 1:], traces


# ---------------------------------------------------------------- what-if edits
def add_spike(values: np.ndarray, position: int, size: float) -> np.ndarray:
    out = values.copy()
    out[position] += size
    return out


def shift_level(values: np.ndarray, delta: float, start: int = 0) -> np.ndarray:
    out = values.copy()
    out[start:] += delta
    return out


def remove_season(values: np.ndarray, season: int) -> np.ndarray:
    """Subtract the window's own mean seasonal profile (keeps the level)."""
    if season < 2 or len(values) < 2 * season:
        return values.copy()
    positions = np.arange(len(values)) % season
    profile = np.array([values[positions == p].mean() for p in range(season)])
    profile -= profile.mean()
    return values - profile[positions]


def edited(window: Window, values: np.ndarray) -> Window:
    return Window(window.dates, values, window.covariates, window.end)
