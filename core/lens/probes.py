"""Looking inside a fitted LSTMForecaster on the user's own dated series: windows, traces, what-if edits."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import Text
from core.lens import gates
from core.models.windows import Prepared


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


def gate_weights(model, member: int | None = None) -> list[gates.LayerWeights]:
    """The recurrent layers of the network behind the forecast (one ensemble member: the median one by default): a
    member's slice of a wide network (core.models.ensemble), or its own layers in networks saved before that layout."""
    from core.models.ensemble import member_slices
    from core.models.lstm import member_prefix

    members = int(getattr(model, "members_", 1))
    chosen = int(getattr(model, "median_member_", 0) if member is None else member)
    if members > 1 and getattr(model, "layout_", "") == "wide":
        layers, _ = member_slices(model.network(), chosen, members)
        return [gates.LayerWeights(kernel, recurrent, bias, kind) for kind, kernel, recurrent, bias in layers]
    return gates.recurrent_weights(model.network(), prefix=member_prefix(chosen, members))


def prepared(model, window: Window) -> Prepared:
    return model.prepare(window.values, window.covariates)


def prepared_copies(model, window: Window, copies: list[np.ndarray]) -> Prepared:
    """Several edited copies of one window's values, in one batch for the network."""
    return Prepared.stack([prepared(model, edited(window, values)) for values in copies])


def trace_window(model, window: Window, member: int | None = None) -> list[gates.GateTrace]:
    """Every gate at every step of the window, replayed exactly in NumPy (one ensemble member: the median by default)."""
    return gates.replay(gate_weights(model, member), prepared(model, window).x, keep="all")


def forecast_from(model, window: Window) -> np.ndarray:
    return model.forecast_window(prepared(model, window))[0]


def forecasts_from(model, window: Window, copies: list[np.ndarray]) -> np.ndarray:
    """Forecasts (copies, H) from edited copies of one window's values, all through the network in one call (a call
    costs about the same whatever its batch, so a probe of many edits costs about what one forecast does)."""
    return model.forecast_window(prepared_copies(model, window, copies))


MAX_HISTORY_WINDOWS = 50_000  # as many as the LSTM trains on: windows of a longer series are built only for its end


def history_trace(model, series: pd.Series, covariates: pd.DataFrame | None,
                  member: int | None = None) -> tuple[pd.DatetimeIndex, list[gates.GateTrace]]:
    """Gates at the last step of the window ending at each date (every date with a full lookback, the most recent
    ``MAX_HISTORY_WINDOWS`` of a longer series, so memory stays bounded whatever the length)."""
    values, cov = series_arrays(model, series, covariates)
    first = max(0, len(values) - model.lookback_ + 1 - MAX_HISTORY_WINDOWS)
    values, cov = values[first:], None if cov is None else cov[first:]
    traces = gates.replay(gate_weights(model, member), model.prepare(values, cov).x, keep="last")
    return series.index[first + model.lookback_ - 1:], traces


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


def nudged_changes(model, window: Window, relative: float = 0.01) -> np.ndarray:
    """The forecast's change per unit change of each past value, (steps, H): each value nudged by ``relative`` of the
    series' spread in turn, all nudged copies through the network in one batch."""
    nudge = float(model.scaling_.scale) * relative
    copies = [add_spike(window.values, t, nudge) for t in range(len(window.values))]
    out = forecasts_from(model, window, [window.values, *copies])  # the unedited window in the same batch
    return (out[1:] - out[0]) / nudge


def sensitivity(model, window: Window, relative: float = 0.01) -> np.ndarray:
    """How much the forecast moves (mean |change| over the horizon) when one past step is nudged; (steps,)."""
    return np.abs(nudged_changes(model, window, relative)).mean(axis=1)


def channel_sensitivity(model, window: Window, relative: float = 0.05) -> dict[str, float]:
    """Forecast change per input channel when that channel is nudged at every step (covariates included)."""
    from core.models.windows import channel_names

    ready = prepared(model, window)
    names = channel_names(model.covariate_names_, model.scaling_)
    nudged = np.repeat(ready.x, len(names) + 1, axis=0)  # the window, then one copy per channel nudged at every step
    for c in range(len(names)):
        nudged[c + 1, ..., c] += relative
    rows = len(nudged)
    out = model.forecast_window(Prepared(nudged, np.repeat(ready.base, rows, axis=0), np.repeat(ready.spread, rows)))
    return {name: float(np.abs(out[c + 1] - out[0]).mean() / (relative * model.scaling_.scale)) for c, name in enumerate(names)}


def noisy_forecasts(model, window: Window, noise: float, draws: int = 30, seed: int = 0) -> np.ndarray:
    """Forecasts from ``draws`` copies of the window with Gaussian noise of ``noise`` × series spread added; (draws, H)."""
    rng = np.random.default_rng(seed)
    copies = [window.values + rng.normal(0, noise * model.scaling_.scale, len(window.values)) for _ in range(draws)]
    return forecasts_from(model, window, copies)


def window_end_at(index: pd.Index, clicked, lookback: int) -> tuple[int, str]:
    """The window to open for a clicked date: the one ending on the last date at or before it, and a sentence when
    that is not exactly the date clicked (before the first full window, or past the series' end)."""
    from core.data.dates import is_steps

    first, last = lookback - 1, len(index) - 1
    try:
        at = int(clicked) if is_steps(index) else pd.Timestamp(clicked)
    except (TypeError, ValueError):
        return last, Text("The clicked point ({point}) is not a date of this series; showing the last window.", point=str(clicked)[:40])
    if at > index[-1]:
        return last, Text("The clicked date is past the series' end (a forecast); showing the window ending on the last date.")
    position = int(index.searchsorted(at, side="right")) - 1
    if position < first:
        return first, Text("A window needs {lookback} steps before its end; showing the first full window.", lookback=lookback)
    return position, ""
