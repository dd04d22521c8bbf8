"""The model registry: what the pages and the CLI can train, with their settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from core.errors import DataError


@dataclass(frozen=True)
class ModelInfo:
    key: str
    label: str
    about: str
    make: Callable[..., object]
    uses_covariates: bool = False
    needs_season: bool = False
    slow: bool = False
    defaults: dict = field(default_factory=dict)


def _naive(season, horizon, level, season_options=(), **params):
    from core.models.naive import Naive
    return Naive(level=level)


def _snaive(season, horizon, level, season_options=(), **params):
    from core.models.naive import SeasonalNaive
    return SeasonalNaive(season=season, level=level)


def _naive2(season, horizon, level, season_options=(), **params):
    from core.models.naive import Naive2
    return Naive2(season=season, level=level)


def _regression(season, horizon, level, season_options=(), **params):
    from core.models.regression import LinearRegression
    return LinearRegression(season=season, level=level, **params)


def _arima(season, horizon, level, season_options=(), **params):
    from core.models.arima import AutoARIMA
    extra = tuple(s for s in season_options if s != season and s > 1)
    return AutoARIMA(season=season, extra_seasons=params.pop("extra_seasons", extra), level=level, **params)


def _lstm(season, horizon, level, season_options=(), **params):
    from core.models.lstm import LSTMForecaster
    return LSTMForecaster(horizon=horizon, season=season, level=level, **params)


REGISTRY: dict[str, ModelInfo] = {m.key: m for m in (
    ModelInfo("naive", "Naive", "Repeats the last value. The simplest honest reference.", _naive),
    ModelInfo("snaive", "Seasonal naive", "Repeats the last season. The reference every skill score is relative to.", _snaive, needs_season=True),
    ModelInfo("naive2", "Naive2", "Naive on seasonally adjusted data (M4's reference for OWA).", _naive2),
    ModelInfo("regression", "Linear regression", "OLS on a trend, Fourier seasonality and recent lags.", _regression),
    ModelInfo("arima", "ARIMA", "Automatic (seasonal) ARIMA, stepwise search by AICc; Fourier terms for long seasons.", _arima),
    ModelInfo("lstm", "LSTM", "Keras LSTM with a direct multi-step head; uses covariates when given.", _lstm, uses_covariates=True, slow=True),
)}

DEFAULT_MODELS = ("naive", "snaive", "regression", "arima", "lstm")


def build_model(key: str, *, season: int, horizon: int, level: float = 0.9, season_options=(), **params):
    if key not in REGISTRY:
        raise DataError(f"Unknown model '{key}'. Choose from: {', '.join(REGISTRY)}.")
    info = REGISTRY[key]
    if info.needs_season and season < 2:
        raise DataError(f"{info.label} needs a season of at least 2 steps; this series has none (season 1). Leave it out or set a season.")
    return info.make(season, horizon, level, season_options=tuple(season_options), **params)
