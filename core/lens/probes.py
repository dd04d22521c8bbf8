"""Looking inside a fitted LSTMForecaster on the user's own dated series: windows, traces, what-if edits."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.lens import gates
from core.models.windows import input_windows


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
    return gates.replay(gates.lstm_weights(model.network()), x, keep="all")


def forecast_from(model, window: Window) -> np.ndarray:
    x, anchor = prepared(model, window)
    return model.forecast_window(x, anchor)[0]


def history_trace(model, series: pd.Series, covariates: pd.DataFrame | None) -> tuple[pd.DatetimeIndex, list[gates.GateTrace]]:
    """Gates at the last step of the window ending at each date (every date with a full lookback)."""
    values, cov = series_arrays(model, series, covariates)
    x, _ = input_windows(values, cov, model.lookback_, model.scaling_)
    traces = gates.replay(gates.lstm_weights(model.network()), x, keep="last")
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
    t = np.arange(len(values))
    trend = np.polyval(np.polyfit(t, values, 1), t)  # so a rising series does not leak into the profile
    positions = t % season
    profile = np.array([(values - trend)[positions == p].mean() for p in range(season)])
    profile -= profile.mean()
    return values - profile[positions]


def edited(window: Window, values: np.ndarray) -> Window:
    return Window(window.dates, values, window.covariates, window.end)


# ---------------------------------------------------------------- explanations (Learn page)
def retention(trace: gates.GateTrace, units) -> np.ndarray:
    """Share of the cell state still present at the window's end, by how many steps back it was written:
    R[k] = f_{T-k+1} * ... * f_T for each chosen unit; shape (steps, units)."""
    f = trace.forget[0][:, units]  # (T, k)
    return np.cumprod(f[::-1], axis=0)


def sensitivity(model, window: Window, relative: float = 0.01) -> np.ndarray:
    """How much the forecast moves (mean |change| over the horizon) when one past step is nudged; (steps,).

    All nudged copies go through the network in one batch.
    """
    spread = float(model.scaling_.scale) * relative
    base_x, anchor = prepared(model, window)
    base = model.forecast_window(base_x, anchor)[0]
    copies, anchors = [], []
    for t in range(len(window.values)):
        values = window.values.copy()
        values[t] += spread
        x, a = prepared(model, edited(window, values))
        copies.append(x[0])
        anchors.append(a)
    moved = model.forecast_window(np.stack(copies), np.array(anchors))
    return np.abs(moved - base).mean(axis=1) / spread


def channel_sensitivity(model, window: Window, relative: float = 0.05) -> dict[str, float]:
    """Forecast change per input channel when that channel is nudged at every step (covariates included)."""
    from core.models.windows import channel_names

    x, anchor = prepared(model, window)
    base = model.forecast_window(x, anchor)[0]
    names = channel_names(model.covariate_names_)
    out = {}
    for c, name in enumerate(names):
        nudged = x.copy()
        nudged[..., c] += relative
        out[name] = float(np.abs(model.forecast_window(nudged, anchor)[0] - base).mean() / (relative * model.scaling_.scale))
    return out


def noisy_forecasts(model, window: Window, noise: float, draws: int = 30, seed: int = 0) -> np.ndarray:
    """Forecasts from ``draws`` copies of the window with Gaussian noise of ``noise`` × series spread added; (draws, H)."""
    rng = np.random.default_rng(seed)
    copies, anchors = [], []
    for _ in range(draws):
        values = window.values + rng.normal(0, noise * model.scaling_.scale, len(window.values))
        x, a = prepared(model, edited(window, values))
        copies.append(x[0])
        anchors.append(a)
    return model.forecast_window(np.stack(copies), np.array(anchors))
