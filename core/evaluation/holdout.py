"""Holdout evaluation: split once, fit each model on the training part, score its forecast of the test part once."""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import DataError
from core.i18n import Text, message_of
from core.evaluation import metrics as M
from core.evaluation.leaderboard import leaderboard
from core.models import REGISTRY, build_model, label
from core.models.base import Forecast, no_progress


@dataclass(frozen=True)
class ModelSpec:
    key: str
    params: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return label(self.key)


@dataclass
class ModelResult:
    key: str
    label: str
    forecast: Forecast | None = None
    metrics: dict = field(default_factory=dict)
    fit_seconds: float = float("nan")
    predict_seconds: float = float("nan")
    description: str = ""
    error: str | None = None
    notes: str = ""
    model: object | None = None


@dataclass(frozen=True)
class Split:
    """A series cut into training and test parts; ``log`` says the values are on the log scale the models see."""

    train: pd.Series
    test: pd.Series
    cov_train: pd.DataFrame | None
    log: bool = False

    @property
    def insample(self) -> np.ndarray:
        """The training part on the original scale (what MASE and MSIS are scaled by)."""
        return np.exp(self.train.to_numpy()) if self.log else self.train.to_numpy()

    @property
    def actual(self) -> pd.Series:
        """The test part on the original scale."""
        return np.exp(self.test) if self.log else self.test

    @property
    def train_original(self) -> pd.Series:
        return np.exp(self.train) if self.log else self.train


def check_split(n: int, test_size: int) -> None:
    if test_size < 1:
        raise DataError(Text("The test part must hold at least 1 point."))
    if n - test_size < 8:
        raise DataError(Text("The series has {n} points, too few for a test part of {test_size}: at least 8 must stay for "
                             "training. Use a test size of at most {value}, or a longer series.", n=n, test_size=test_size, value=max(0, n - 8)))


def split(series: pd.Series, test_size: int, covariates: pd.DataFrame | None = None, log: bool = False) -> Split:
    check_split(len(series), test_size)
    cov_train = covariates.iloc[:-test_size] if covariates is not None else None
    return Split(series.iloc[:-test_size], series.iloc[-test_size:], cov_train, log)


def score(forecast: Forecast, actual, insample: np.ndarray, season: int, level: float) -> dict:
    """Every metric of one forecast against the actual values: the one place a forecast is scored."""
    return M.all_metrics(np.asarray(actual, dtype=float), forecast.mean, forecast.lower, forecast.upper, level, insample, season)


@dataclass
class Evaluation:
    train: pd.Series
    actual: pd.Series
    season: int
    level: float
    results: dict[str, ModelResult]
    log: bool = False

    def ok(self) -> dict[str, ModelResult]:
        return {k: r for k, r in self.results.items() if r.error is None}

    def inspectables(self) -> dict[str, ModelResult]:
        """Every finished model whose network the app can look inside (the LSTM, the GRU), in the registry's order."""
        ok = self.ok()
        return {k: ok[k] for k in REGISTRY if k in ok and REGISTRY[k].inspectable and ok[k].model is not None}

    def inspectable(self) -> ModelResult | None:
        """The network the app looks inside first (the LSTM before the GRU), if the run has one."""
        return next(iter(self.inspectables().values()), None)

    def leaderboard(self) -> pd.DataFrame:
        return leaderboard(self.results)

    def errors_by_step(self) -> pd.DataFrame:
        actual = self.actual.to_numpy(dtype=float)
        frame = {r.label: np.abs(r.forecast.mean - actual) for r in self.ok().values()}
        return pd.DataFrame(frame, index=pd.RangeIndex(1, len(actual) + 1, name="step"))

    def forecasts_frame(self) -> pd.DataFrame:
        parts = []
        for r in self.ok().values():
            frame = r.forecast.to_frame()
            frame.columns = ["model", "mean", "lower", "upper"]
            frame["actual"] = self.actual.reindex(frame.index).to_numpy()
            parts.append(frame.reset_index())
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def fit_predict(spec: ModelSpec, train, covariates: pd.DataFrame | None, horizon: int, *, season: int,
                level: float, season_options=(), on_progress=no_progress, on_epoch=None, log: bool = False) -> ModelResult:
    """Fit one model and forecast; a failure becomes an error message on the result, never an exception.

    ``train`` is one series, or a mapping id -> series for a panel model (its forecast is then {id: Forecast})."""
    result = ModelResult(spec.key, spec.label)
    try:
        options = {"season": season, "horizon": horizon, "level": level, "season_options": season_options, **spec.params}
        model = build_model(spec.key, **options)  # a spec may set its own season (Naive2 scored as M4 did)
        started = time.perf_counter()
        model.fit(train, covariates if REGISTRY[spec.key].uses_covariates else None, on_progress=on_progress, on_epoch=on_epoch)
        result.fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        forecast = model.predict(horizon)
        result.predict_seconds = time.perf_counter() - started
        forecasts = forecast if isinstance(forecast, dict) else {None: forecast}
        if log:
            forecasts = {k: f.exp() for k, f in forecasts.items()}
        if not all(np.all(np.isfinite(f.mean)) for f in forecasts.values()):
            raise DataError(Text("{label} produced a forecast with NaN or infinite values; try other settings.", label=Text(spec.label)))
        result.forecast = forecasts if isinstance(forecast, dict) else forecasts[None]
        result.model = model
        result.description = model.describe()
        result.notes = model.notes()
    except DataError as error:
        result.error = message_of(error)
    except Exception as error:  # keep the other models' results; say what happened
        result.error = Text("{label} failed: {kind}: {error}", label=Text(spec.label), kind=type(error).__name__, error=str(error))
        result.notes = traceback.format_exc(limit=3)
    name = Text(spec.label)
    on_progress(1.0, Text("{label}: done", label=name) if result.error is None else Text("{label}: failed", label=name))
    return result


def holdout(series: pd.Series, specs: list[ModelSpec], test_size: int, *, season: int, level: float = 0.9,
            covariates: pd.DataFrame | None = None, season_options=(), log: bool = False,
            on_model_progress=None, on_epoch=None, score_season: int | None = None, on_result=None) -> Evaluation:
    """Fit each model on all but the last ``test_size`` points and score its forecast of them.

    ``score_season`` scales MASE and MSIS when it differs from the models' season (M4 scored weekly data with 1).
    ``on_result(results)`` is called after each model is scored, with the results so far (key -> ModelResult), so a page
    can show a leaderboard of the finished models while slower ones still train."""
    part = split(series, test_size, covariates, log)
    results = {}
    for spec in specs:
        progress = on_model_progress(spec) if on_model_progress else no_progress
        result = fit_predict(spec, part.train, part.cov_train, test_size, season=season, level=level, season_options=season_options,
                             on_progress=progress, on_epoch=on_epoch, log=log)
        if result.error is None:
            result.metrics = score(result.forecast, part.actual, part.insample, score_season or season, level)
        results[spec.key] = result
        if on_result is not None:
            on_result(dict(results))
    return Evaluation(train=part.train_original, actual=part.actual, season=season, level=level, results=results, log=log)
