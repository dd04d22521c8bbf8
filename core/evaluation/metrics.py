"""Forecast accuracy metrics as pure functions over NumPy arrays.

sMAPE and MASE follow the M4 competition's definitions exactly (its R code):
sMAPE = mean(200 |y - f| / (|y| + |f|)); MASE = mean|y - f| / mean|x_t - x_{t-m}| over
the training part x. MSIS is M4's interval score scaled the same way as MASE.
"""
from __future__ import annotations

import numpy as np


class Undefined(float):
    """NaN that remembers why a metric could not be computed."""

    def __new__(cls, reason: str):
        value = super().__new__(cls, float("nan"))
        value.reason = reason
        return value


def _arrays(actual, forecast):
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if a.shape != f.shape:
        raise ValueError(f"actual has {a.shape} values, forecast has {f.shape}")
    return a, f


def mae(actual, forecast) -> float:
    a, f = _arrays(actual, forecast)
    return float(np.mean(np.abs(a - f)))


def rmse(actual, forecast) -> float:
    a, f = _arrays(actual, forecast)
    return float(np.sqrt(np.mean((a - f) ** 2)))


def mape(actual, forecast) -> float:
    """Mean absolute percentage error; undefined (with the reason) when an actual value is zero."""
    a, f = _arrays(actual, forecast)
    zeros = int(np.sum(a == 0))
    if zeros:
        return Undefined(f"MAPE is undefined: {zeros} actual value(s) are zero (it would divide by zero).")
    return float(100 * np.mean(np.abs((a - f) / a)))


def smape(actual, forecast) -> float:
    a, f = _arrays(actual, forecast)
    denom = np.abs(a) + np.abs(f)
    terms = np.where(denom == 0, 0.0, 200 * np.abs(a - f) / np.where(denom == 0, 1, denom))
    return float(np.mean(terms))


def seasonal_scale(insample, season: int) -> float:
    """Mean absolute seasonal-naive error in the training part (MASE's denominator)."""
    x = np.asarray(insample, dtype=float)
    m = max(1, int(season))
    if len(x) <= m:
        return float("nan")
    return float(np.mean(np.abs(x[m:] - x[:-m])))


def mase(actual, forecast, insample, season: int) -> float:
    a, f = _arrays(actual, forecast)
    scale = seasonal_scale(insample, season)
    if not np.isfinite(scale) or scale == 0:
        return Undefined("MASE is undefined: the training part does not change from one season to the next (scale is zero).")
    return float(np.mean(np.abs(a - f)) / scale)


def coverage(actual, lower, upper) -> float:
    a = np.asarray(actual, dtype=float)
    return float(np.mean((a >= np.asarray(lower)) & (a <= np.asarray(upper))))


def winkler(actual, lower, upper, level: float) -> float:
    """Mean Winkler (interval) score: width plus 2/alpha times any miss."""
    a = np.asarray(actual, dtype=float)
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    alpha = 1 - level
    score = (hi - lo) + (2 / alpha) * (lo - a) * (a < lo) + (2 / alpha) * (a - hi) * (a > hi)
    return float(np.mean(score))


def msis(actual, lower, upper, level: float, insample, season: int) -> float:
    scale = seasonal_scale(insample, season)
    if not np.isfinite(scale) or scale == 0:
        return Undefined("MSIS is undefined: the seasonal scale of the training part is zero.")
    return winkler(actual, lower, upper, level) / scale


def owa(smape_model: float, mase_model: float, smape_naive2: float, mase_naive2: float) -> float:
    """M4's overall weighted average relative to Naive2."""
    return 0.5 * (smape_model / smape_naive2 + mase_model / mase_naive2)


def all_metrics(actual, forecast, lower, upper, level: float, insample, season: int) -> dict:
    return {
        "MAE": mae(actual, forecast),
        "RMSE": rmse(actual, forecast),
        "MAPE": mape(actual, forecast),
        "sMAPE": smape(actual, forecast),
        "MASE": mase(actual, forecast, insample, season),
        "coverage": coverage(actual, lower, upper),
        "MSIS": msis(actual, lower, upper, level, insample, season),
    }
