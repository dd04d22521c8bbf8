"""Sliding windows for the per-series LSTM, and the scaling it sees (fitted on training data only).

Each input window has channels: 0 = the target relative to the window's last value, divided by the
window's spread; 1 = the target standardised by the training mean and spread (where the series is);
then the standardised covariates. The network does not forecast the values themselves: it forecasts
a correction to a simple base forecast made from the same window (its last value repeated, or its
last season repeated), on the window's spread. A trending or seasonal series then stays inside what
the network saw in training, and a network that learns nothing still forecasts as well as the base.
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

    @classmethod
    def fit(cls, target: np.ndarray, covariates: np.ndarray | None, period: int = 1, per_window: bool = False,
            level_channel: bool = True) -> "Scaling":
        scale = float(np.std(target)) or 1.0
        recipe = (int(period), bool(per_window), bool(level_channel))
        if covariates is None or covariates.shape[1] == 0:
            return cls(float(np.mean(target)), scale, np.zeros(0), np.ones(0), *recipe)
        cov_scale = np.std(covariates, axis=0)
        cov_scale[cov_scale == 0] = 1.0
        return cls(float(np.mean(target)), scale, covariates.mean(axis=0), cov_scale, *recipe)

    def to_dict(self) -> dict:
        return {"mean": self.mean, "scale": self.scale, "cov_mean": self.cov_mean.tolist(), "cov_scale": self.cov_scale.tolist(),
                "period": self.period, "per_window": self.per_window, "level_channel": self.level_channel}

    @classmethod
    def from_dict(cls, data: dict) -> "Scaling":
        # Models saved before the base forecast was a choice corrected the last value on the series' spread.
        return cls(data["mean"], data["scale"], np.asarray(data["cov_mean"], float), np.asarray(data["cov_scale"], float),
                   int(data.get("period", 1)), bool(data.get("per_window", False)), bool(data.get("level_channel", True)))

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


def channel_names(covariate_names: list[str] | tuple[str, ...] = (), level_channel: bool = True) -> list[str]:
    return [Text("change since window end"), *([Text("standardised level")] if level_channel else []), *covariate_names]


def input_windows(target: np.ndarray, covariates: np.ndarray | None, lookback: int, horizon: int, scaling: Scaling) -> Prepared:
    """Every window of ``lookback`` steps, ready for the network."""
    windows = sliding_window_view(target, lookback)  # (N, L)
    spread = scaling.spread(windows)
    relative = (windows - windows[:, -1:]) / spread[:, None]
    channels = [relative[..., None]]
    if scaling.level_channel:
        channels.append(((windows - scaling.mean) / scaling.scale)[..., None])
    if covariates is not None and covariates.shape[1]:
        cov = (covariates - scaling.cov_mean) / scaling.cov_scale
        channels.append(sliding_window_view(cov, lookback, axis=0).transpose(0, 2, 1))
    return Prepared(np.concatenate(channels, axis=-1).astype("float32"), scaling.base(windows, horizon), spread)


def training_pairs(target: np.ndarray, covariates: np.ndarray | None, lookback: int, horizon: int,
                   scaling: Scaling) -> tuple[Prepared, np.ndarray]:
    """Inputs of every window with a full future, and the network's targets (N, H)."""
    prepared = input_windows(target[:-horizon], None if covariates is None else covariates[:-horizon], lookback, horizon, scaling)
    future = sliding_window_view(target[lookback:], horizon)  # (N, H)
    return prepared, ((future - prepared.base) / prepared.spread[:, None]).astype("float32")


def default_lookback(season: int, horizon: int, length: int) -> int:
    wanted = max(2 * season if season > 1 else 12, horizon, 8)
    wanted = min(wanted, 336)
    room = length - horizon - 24  # keep at least ~24 windows to learn from
    return int(max(4, min(wanted, room)))
