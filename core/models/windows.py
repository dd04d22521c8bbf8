"""Sliding windows for the LSTM, and the scaling it sees (fitted on training data only).

Each input window has channels: 0 = target relative to the window's last value,
1 = target standardised by the training mean and spread, then standardised covariates.
Targets are the next ``horizon`` values relative to the same last value. Predicting
change from the last observation keeps a trending series inside what the network saw
in training; the level channel still tells it where the series is.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class Scaling:
    mean: float
    scale: float
    cov_mean: np.ndarray
    cov_scale: np.ndarray

    @classmethod
    def fit(cls, target: np.ndarray, covariates: np.ndarray | None) -> "Scaling":
        scale = float(np.std(target)) or 1.0
        if covariates is None or covariates.shape[1] == 0:
            return cls(float(np.mean(target)), scale, np.zeros(0), np.ones(0))
        cov_scale = np.std(covariates, axis=0)
        cov_scale[cov_scale == 0] = 1.0
        return cls(float(np.mean(target)), scale, covariates.mean(axis=0), cov_scale)

    def to_dict(self) -> dict:
        return {"mean": self.mean, "scale": self.scale, "cov_mean": self.cov_mean.tolist(), "cov_scale": self.cov_scale.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> "Scaling":
        return cls(data["mean"], data["scale"], np.asarray(data["cov_mean"], float), np.asarray(data["cov_scale"], float))


def channel_names(covariate_names: list[str] | tuple[str, ...] = ()) -> list[str]:
    return ["change since window end", "standardised level", *covariate_names]


def input_windows(target: np.ndarray, covariates: np.ndarray | None, lookback: int, scaling: Scaling) -> tuple[np.ndarray, np.ndarray]:
    """All windows of ``lookback`` steps: (N, lookback, channels) and each window's anchor (last value)."""
    windows = sliding_window_view(target, lookback)  # (N, L)
    anchor = windows[:, -1]
    relative = (windows - anchor[:, None]) / scaling.scale
    level = (windows - scaling.mean) / scaling.scale
    channels = [relative[..., None], level[..., None]]
    if covariates is not None and covariates.shape[1]:
        cov = (covariates - scaling.cov_mean) / scaling.cov_scale
        channels.append(sliding_window_view(cov, lookback, axis=0).transpose(0, 2, 1))
    return np.concatenate(channels, axis=-1).astype("float32"), anchor


def training_pairs(target: np.ndarray, covariates: np.ndarray | None, lookback: int, horizon: int,
                   scaling: Scaling) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs (N, L, C), scaled targets (N, H) and anchors (N,) for every window with a full future."""
    x, anchor = input_windows(target[:-horizon], None if covariates is None else covariates[:-horizon], lookback, scaling)
    future = sliding_window_view(target[lookback:], horizon)  # (N, H)
    y = ((future - anchor[:, None]) / scaling.scale).astype("float32")
    return x, y, anchor


def default_lookback(season: int, horizon: int, length: int) -> int:
    wanted = max(2 * season if season > 1 else 12, horizon, 8)
    wanted = min(wanted, 336)
    room = length - horizon - 24  # keep at least ~24 windows to learn from
    return int(max(4, min(wanted, room)))
