"""Sliding windows for the per-series LSTM, and the scaling it sees (fitted on training data only).

Each input window has channels: 0 = the target relative to the window's last value, divided by the
window's spread; 1 = the target standardised by the training mean and spread (where the series is);
then the standardised covariates. The network does not forecast the values themselves: it forecasts
a correction to a simple base forecast made from the same window (its last value repeated, or its
last season repeated), on the window's spread. A trending or seasonal series then stays inside what
the network saw in training, and a network that learns nothing still forecasts as well as the base.

With step inputs (long series), channel 0 is instead each step's change since the step before, then (when
the base repeats a season) its change since a season before, both on the series' spread and computed
inside the window (its first steps see nothing earlier, so they read 0). Each step's inputs then depend
on that step and the ones before it only, so the network can also be trained on long stretches of the
series at once, scoring a forecast at every step (training_stretches): a window is a stretch's start.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from core.i18n import Text


def base_words(period: int) -> Text:
    """The base forecast both LSTMs correct, in words."""
    return Text("its last value") if period == 1 else Text("its last {period} values (one season) repeated", period=period)


def seasonal_base(windows: np.ndarray, season: int, horizon: int) -> np.ndarray:
    """The seasonal naive forecast of each window (N, L) -> (N, H): its last season repeated (its last value
    when the season is 1 or longer than the window). Both LSTMs learn a correction to it."""
    period = season if 1 < season <= windows.shape[1] else 1
    reps = int(np.ceil(horizon / period))
    return np.tile(windows[:, -period:], reps)[:, :horizon]


@dataclass(frozen=True)
class Scaling:
    mean: float
    scale: float
    cov_mean: np.ndarray
    cov_scale: np.ndarray
    period: int = 1             # the base forecast repeats the window's last `period` values (1: its last value)
    per_window: bool = False    # divide each window by its own spread (floored), not by the series' spread
    level_channel: bool = True  # a channel saying where the window sits in the series' range
    step_inputs: bool = False   # each step's change since the step before (and a season before), not since the window's end

    @classmethod
    def fit(cls, target: np.ndarray, covariates: np.ndarray | None, period: int = 1, per_window: bool = False,
            level_channel: bool = True, step_inputs: bool = False) -> "Scaling":
        scale = float(np.std(target)) or 1.0
        recipe = (int(period), bool(per_window), bool(level_channel), bool(step_inputs))
        if covariates is None or covariates.shape[1] == 0:
            return cls(float(np.mean(target)), scale, np.zeros(0), np.ones(0), *recipe)
        cov_scale = np.std(covariates, axis=0)
        cov_scale[cov_scale == 0] = 1.0
        return cls(float(np.mean(target)), scale, covariates.mean(axis=0), cov_scale, *recipe)

    def to_dict(self) -> dict:
        return {"mean": self.mean, "scale": self.scale, "cov_mean": self.cov_mean.tolist(), "cov_scale": self.cov_scale.tolist(),
                "period": self.period, "per_window": self.per_window, "level_channel": self.level_channel,
                "step_inputs": self.step_inputs}

    @classmethod
    def from_dict(cls, data: dict) -> "Scaling":
        # Models saved before the base forecast was a choice corrected the last value on the series' spread.
        return cls(data["mean"], data["scale"], np.asarray(data["cov_mean"], float), np.asarray(data["cov_scale"], float),
                   int(data.get("period", 1)), bool(data.get("per_window", False)), bool(data.get("level_channel", True)),
                   bool(data.get("step_inputs", False)))

    def spread(self, windows: np.ndarray) -> np.ndarray:
        """Each window's divisor (N,): the series' spread, or the window's own, never below a quarter of the series'."""
        if not self.per_window:
            return np.full(len(windows), self.scale)
        return np.maximum(windows.std(axis=-1), 0.25 * self.scale)

    def base(self, windows: np.ndarray, horizon: int) -> np.ndarray:
        """The forecast the network corrects, (N, H): the last ``period`` values of each window, repeated."""
        return seasonal_base(windows, self.period, horizon)


@dataclass(frozen=True)
class Prepared:
    """Network inputs (N, L, C) and what maps the network's output back: forecast = output × spread + base."""

    x: np.ndarray
    base: np.ndarray     # (N, H)
    spread: np.ndarray   # (N,)

    def to_values(self, output: np.ndarray) -> np.ndarray:
        return output * self.spread[:, None] + self.base

    @staticmethod
    def stack(parts: list["Prepared"]) -> "Prepared":
        return Prepared(np.concatenate([p.x for p in parts]), np.concatenate([p.base for p in parts]),
                        np.concatenate([p.spread for p in parts]))


def channel_names(covariate_names: list[str] | tuple[str, ...], scaling: Scaling) -> list[str]:
    """The network's input channels in order, for the recipe of ``scaling``."""
    if scaling.step_inputs:
        change = [Text("change since the step before"), *([Text("change since a season before")] if scaling.period > 1 else [])]
    else:
        change = [Text("change since window end")]
    return [*change, *([Text("standardised level")] if scaling.level_channel else []), *covariate_names]


def change_channels(windows: np.ndarray, spread: np.ndarray, scaling: Scaling) -> list[np.ndarray]:
    """The change channels of windows (N, L): since the window's end on its ``spread`` (N,), or (step inputs) each
    step's change since the step before and a season before on the series' spread, 0 where the window holds no such step."""
    if not scaling.step_inputs:
        return [(windows - windows[:, -1:]) / spread[:, None]]
    lags = [1, *([scaling.period] if scaling.period > 1 else [])]
    out = []
    for lag in lags:
        change = np.zeros_like(windows)
        change[:, lag:] = (windows[:, lag:] - windows[:, :-lag]) / scaling.scale
        out.append(change)
    return out


def input_windows(target: np.ndarray, covariates: np.ndarray | None, lookback: int, horizon: int, scaling: Scaling) -> Prepared:
    """Every window of ``lookback`` steps, ready for the network."""
    windows = sliding_window_view(target, lookback)  # (N, L)
    cov = None if covariates is None or not covariates.shape[1] else sliding_window_view(covariates, lookback, axis=0).transpose(0, 2, 1)
    return window_inputs(windows, cov, horizon, scaling)


def window_inputs(windows: np.ndarray, cov_windows: np.ndarray | None, horizon: int, scaling: Scaling) -> Prepared:
    """Network inputs of windows (N, L) of the target and (N, L, K) of the covariates."""
    spread = scaling.spread(windows)
    channels = [c[..., None] for c in change_channels(windows, spread, scaling)]
    if scaling.level_channel:
        channels.append(((windows - scaling.mean) / scaling.scale)[..., None])
    if cov_windows is not None:
        channels.append((cov_windows - scaling.cov_mean) / scaling.cov_scale)
    return Prepared(np.concatenate(channels, axis=-1).astype("float32"), scaling.base(windows, horizon), spread)


def stretch_starts(first: int, stop: int, steps: int, stride: int) -> np.ndarray:
    """Where stretches scoring ``steps`` windows each start so that windows first..stop-1 are all scored (one every
    ``stride`` windows, or every ``steps`` if the stride is longer: no window is skipped)."""
    starts = list(range(first, stop - steps + 1, max(1, min(stride, steps))))
    if not starts or starts[-1] != stop - steps:
        starts.append(stop - steps)
    return np.asarray(starts)


def training_stretches(target: np.ndarray, covariates: np.ndarray | None, targets: np.ndarray, lookback: int,
                       first: int, stop: int, steps: int, stride: int, scaling: Scaling) -> tuple[np.ndarray, np.ndarray]:
    """Stretches of ``lookback + steps - 1`` values, one every ``stride`` windows, for training with step inputs.

    Window i holds target[i:i+lookback] and has the network's target ``targets[i]`` (training_pairs). A stretch
    starting at window i scores, at each of its last ``steps`` positions, the window ending there: its first scored
    position is window i exactly as the network reads it alone; later ones have seen more of the series. Returns the
    inputs (S, lookback + steps - 1, channels) and targets (S, steps, H) covering windows first..stop-1.
    """
    steps = max(1, min(steps, stop - first))
    length = lookback + steps - 1
    starts = stretch_starts(first, stop, steps, stride)
    windows = sliding_window_view(target, length)[starts]
    cov = None
    if covariates is not None and covariates.shape[1]:
        cov = sliding_window_view(covariates, length, axis=0)[starts].transpose(0, 2, 1)
    x = window_inputs(windows, cov, 1, scaling).x
    return x, targets[starts[:, None] + np.arange(steps)]


def training_pairs(target: np.ndarray, covariates: np.ndarray | None, lookback: int, horizon: int,
                   scaling: Scaling) -> tuple[Prepared, np.ndarray]:
    """Inputs of every window with a full future, and the network's targets (N, H)."""
    prepared = input_windows(target[:-horizon], None if covariates is None else covariates[:-horizon], lookback, horizon, scaling)
    return prepared, _targets(target, lookback, horizon, prepared.base, prepared.spread)


def training_targets(target: np.ndarray, lookback: int, horizon: int, scaling: Scaling) -> np.ndarray:
    """The network's targets (N, H) of every window with a full future, without building the windows' inputs
    (training on stretches cuts its inputs from the series: training_stretches)."""
    windows = sliding_window_view(target[:-horizon], lookback)
    return _targets(target, lookback, horizon, scaling.base(windows, horizon), scaling.spread(windows))


def _targets(target: np.ndarray, lookback: int, horizon: int, base: np.ndarray, spread: np.ndarray) -> np.ndarray:
    future = sliding_window_view(target[lookback:], horizon)  # (N, H)
    return ((future - base) / spread[:, None]).astype("float32")


def default_lookback(season: int, horizon: int, length: int) -> int:
    wanted = max(2 * season if season > 1 else 12, horizon, 8)
    wanted = min(wanted, 336)
    room = length - horizon - 24  # keep at least ~24 windows to learn from
    return int(max(4, min(wanted, room)))
