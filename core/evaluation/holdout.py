"""Holdout and rolling-origin evaluation, and the leaderboard built from them."""
from __future__ import annotations

import inspect
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.evaluation import metrics as M
from core.errors import DataError
from core.models import REGISTRY, build_model
from core.models.base import Forecast, no_progress

REFERENCE = "snaive"
METRIC_COLUMNS = ["MAE", "RMSE", "MAPE", "sMAPE", "MASE", "coverage", "MSIS"]
LOWER_IS_BETTER = {"MAE", "RMSE", "MAPE", "sMAPE", "MASE", "MSIS"}


@dataclass(frozen=True)
class ModelSpec:
    key: str
    params: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return REGISTRY[self.key].label if self.key in REGISTRY else self.key


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


def leaderboard(results: dict[str, ModelResult]) -> pd.DataFrame:
    rows = []
    reference = results.get(REFERENCE)
    ref_mase = reference.metrics.get("MASE") if reference and reference.error is None else None
    for r in results.values():
        row = {"model": r.label, "key": r.key}
        if r.error:
            row.update({c: np.nan for c in METRIC_COLUMNS})
            row["status"] = r.error
        else:
            row.update({c: float(r.metrics.get(c, np.nan)) for c in METRIC_COLUMNS})
            row["status"] = "ok"
        mase = row.get("MASE")
        row["skill vs seasonal naive"] = (1 - mase / ref_mase) if ref_mase and np.isfinite(ref_mase) and ref_mase > 0 and np.isfinite(mase) else np.nan
        row["fit s"] = r.fit_seconds
        row["predict s"] = r.predict_seconds
        row["details"] = r.description
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    sort_key = frame["MASE"].where(frame["MASE"].notna(), frame["sMAPE"])
    return frame.assign(_sort=sort_key).sort_values("_sort", na_position="last").drop(columns="_sort").reset_index(drop=True)


def _describe(model) -> str:
    for attr in ("describe", "description"):
        value = getattr(model, attr, None)
        if callable(value):
            try:
                return value()
            except Exception:  # a description must never break a run
                return ""
        if isinstance(value, str):
            return value
    return ""


def fit_predict(spec: ModelSpec, train: pd.Series, covariates: pd.DataFrame | None, horizon: int, *, season: int,
                level: float, season_options=(), on_progress=no_progress, on_epoch=None, log: bool = False) -> ModelResult:
    """Fit one model and forecast; a failure becomes an error message on the result, never an exception."""
    result = ModelResult(spec.key, spec.label)
    try:
        model = build_model(spec.key, season=season, horizon=horizon, level=level, season_options=season_options, **spec.params)
        started = time.perf_counter()
        accepted = inspect.signature(model.fit).parameters  # each model takes the callbacks its fit knows
        kwargs = {k: v for k, v in (("on_progress", on_progress), ("on_epoch", on_epoch)) if k in accepted}
        uses_cov = REGISTRY[spec.key].uses_covariates
        model.fit(train, covariates if uses_cov else None, **kwargs)
        result.fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        forecast = model.predict(horizon)
        result.predict_seconds = time.perf_counter() - started
        if log:
            forecast = forecast.exp()
        if not np.all(np.isfinite(forecast.mean)):
            raise DataError(f"{spec.label} produced a forecast with NaN or infinite values; try other settings.")
        result.forecast = forecast
        result.model = model
        result.description = _describe(model)
        result.notes = getattr(model, "warning_summary", "") or ""
    except DataError as error:
        result.error = str(error)
    except Exception as error:  # keep the other models' results; say what happened
        result.error = f"{spec.label} failed: {type(error).__name__}: {error}"
        result.notes = traceback.format_exc(limit=3)
    on_progress(1.0, f"{spec.label}: {'done' if result.error is None else 'failed'}")
    return result


def check_split(n: int, test_size: int) -> None:
    if test_size < 1:
        raise DataError("The test part must hold at least 1 point.")
    if n - test_size < 8:
        raise DataError(f"The series has {n} points, too few for a test part of {test_size}: at least 8 must stay for training. "
                        f"Use a test size of at most {max(0, n - 8)}, or a longer series.")


def holdout(series: pd.Series, specs: list[ModelSpec], test_size: int, *, season: int, level: float = 0.9,
            covariates: pd.DataFrame | None = None, season_options=(), log: bool = False,
            on_model_progress=None, on_epoch=None) -> Evaluation:
    """Fit each model on all but the last ``test_size`` points and score its forecast of them."""
    check_split(len(series), test_size)
    train, test = series.iloc[:-test_size], series.iloc[-test_size:]
    cov_train = covariates.iloc[:-test_size] if covariates is not None else None
    insample = np.exp(train.to_numpy()) if log else train.to_numpy()
    actual = np.exp(test) if log else test
    results = {}
    for spec in specs:
        progress = on_model_progress(spec) if on_model_progress else no_progress
        result = fit_predict(spec, train, cov_train, test_size, season=season, level=level, season_options=season_options,
                             on_progress=progress, on_epoch=on_epoch, log=log)
        if result.error is None:
            f = result.forecast
            result.metrics = M.all_metrics(actual.to_numpy(), f.mean, f.lower, f.upper, level, insample, season)
        results[spec.key] = result
    return Evaluation(train=np.exp(train) if log else train, actual=actual, season=season, level=level, results=results, log=log)


def backtest(series: pd.Series, specs: list[ModelSpec], horizon: int, *, origins: int, stride: int, season: int,
             window: str = "expanding", level: float = 0.9, covariates=None, season_options=(), log: bool = False,
             on_progress=no_progress) -> pd.DataFrame:
    """Rolling-origin evaluation: ``origins`` forecasts of ``horizon`` steps, ``stride`` apart, ending at the series' end.

    Returns one row per (model, origin) with its metrics; ``window='sliding'`` keeps the
    training length fixed at that of the first origin.
    """
    n = len(series)
    last_origin = n - horizon
    first_origin = last_origin - (origins - 1) * stride
    if origins < 1 or stride < 1:
        raise DataError("A backtest needs at least 1 origin and a stride of at least 1.")
    if first_origin < 8:
        raise DataError(f"{origins} origins {stride} steps apart with horizon {horizon} need {8 + (origins - 1) * stride + horizon} "
                        f"points; this series has {n}. Use fewer origins or a smaller stride.")
    rows = []
    total = origins * len(specs)
    done = 0
    for i in range(origins):
        origin = first_origin + i * stride
        start = 0 if window == "expanding" else origin - first_origin
        train = series.iloc[start:origin]
        actual = series.iloc[origin:origin + horizon]
        cov = covariates.iloc[start:origin] if covariates is not None else None
        insample = np.exp(train.to_numpy()) if log else train.to_numpy()
        truth = np.exp(actual.to_numpy()) if log else actual.to_numpy()
        for spec in specs:
            result = fit_predict(spec, train, cov, horizon, season=season, level=level, season_options=season_options, log=log)
            row = {"model": spec.label, "origin": series.index[origin - 1], "train points": len(train), "error": result.error or ""}
            if result.error is None:
                f = result.forecast
                row.update(M.all_metrics(truth, f.mean, f.lower, f.upper, level, insample, season))
                row["fit s"] = result.fit_seconds
            rows.append(row)
            done += 1
            on_progress(done / total, f"origin {i + 1}/{origins}: {spec.label}")
    return pd.DataFrame(rows)


def backtest_summary(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return rows
    numeric = [c for c in METRIC_COLUMNS + ["fit s"] if c in rows.columns]
    return rows.groupby("model")[numeric].mean().sort_values("MASE" if "MASE" in numeric else numeric[0]).reset_index()
