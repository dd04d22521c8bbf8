"""One training run end to end, the same for the Train page, the Runs page's imports, the Learn page and the CLI.

start in the store -> fit and score every model (core.evaluation) -> finish in the store (or mark
it failed), so a run is either whole in the history or marked, never half-written.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from core.errors import DataError, Stopped
from core.i18n import Text
from core.evaluation.holdout import Evaluation, ModelResult, ModelSpec, check_split, fit_predict, holdout, score, split
from core.models import LSTM, REGISTRY
from core.runs.owners import LOCAL
from core.models.base import Forecast, no_progress
from core.runs.records import Dataset, TrainingRun, content_hash


@dataclass(frozen=True)
class RunSettings:
    test_size: int
    horizon: int
    season: int
    level: float = 0.9
    tune_seconds: float = 0.0   # > 0: search the LSTM's settings with Optuna for this long first (core.evaluation.tuning)


def check_request(dataset: Dataset, specs: list[ModelSpec], settings: RunSettings) -> None:
    """What a user can get wrong before any model is fitted, each with a sentence."""
    if not specs:
        raise DataError(Text("Choose at least one model."))
    unknown = [s.key for s in specs if s.key not in REGISTRY]
    if unknown:
        raise DataError(Text("Unknown model(s) {join}; choose from {join2}.", join=', '.join(unknown), join2=', '.join(REGISTRY)))
    check_split(len(dataset.clean.y), int(settings.test_size))
    if settings.tune_seconds and any(s.key == LSTM for s in specs):
        from core.evaluation.tuning import check_tuning

        check_tuning(len(dataset.clean.y), int(settings.test_size), float(settings.tune_seconds))
    seasonal = [REGISTRY[s.key].label for s in specs if REGISTRY[s.key].needs_season]
    if seasonal and settings.season < 2:
        raise DataError(Text("{join} needs a season of at least 2 steps; set a season or leave that model out.", join=', '.join(seasonal)))


def train_run(dataset: Dataset, specs: list[ModelSpec], settings: RunSettings, *, store=None,
              on_model_progress=None, on_epoch=None, on_result=None, owner: str = LOCAL) -> TrainingRun:
    """Fit and score every model on the dataset's holdout; with a store, the run is saved as ``owner``'s (or marked failed)."""
    check_request(dataset, specs, settings)
    run_id = store.start(dataset.name, dataset.digest, [s.key for s in specs], owner) if store is not None else None
    started = time.perf_counter()
    clean = dataset.clean
    tuning = None
    try:
        if settings.tune_seconds and any(s.key == LSTM for s in specs):
            specs, tuning = _tuned(dataset, specs, settings, store, on_model_progress)
        evaluation = holdout(clean.y, specs, int(settings.test_size), season=int(settings.season), level=settings.level,
                             covariates=clean.covariates, season_options=clean.season_options, log=clean.log,
                             on_model_progress=on_model_progress, on_epoch=on_epoch, on_result=on_result)
    except BaseException as error:  # the run is marked, never left half-written
        if store is not None:
            stopped = isinstance(error, (Stopped, KeyboardInterrupt))  # the reader's Stop, or Ctrl+C in the CLI
            store.fail(run_id, f"{type(error).__name__}: {error}", status="stopped" if stopped else "failed")
        raise
    run = TrainingRun(dataset=dataset, specs=list(specs), evaluation=evaluation, test_size=int(settings.test_size),
                      horizon=int(settings.horizon), season=int(settings.season), level=settings.level,
                      tuning=None if tuning is None else tuning.to_json())
    if store is not None:
        store.finish(run_id, run, seconds=time.perf_counter() - started)
    return run


def _tuned(dataset: Dataset, specs: list[ModelSpec], settings: RunSettings, store, on_model_progress):
    """The specs with the LSTM's settings replaced by the best an Optuna search found on the training part."""
    from core.evaluation.tuning import tune_lstm
    from core.runs.store import data_dir

    clean = dataset.clean
    spec = next(s for s in specs if s.key == LSTM)
    progress = on_model_progress(spec) if on_model_progress else no_progress
    params, summary = tune_lstm(clean.y, clean.covariates, test_size=int(settings.test_size), season=int(settings.season),
                                level=settings.level, log=clean.log, params=dict(spec.params), budget_s=float(settings.tune_seconds),
                                root=store.root if store is not None else data_dir(), name=dataset.name,
                                season_options=clean.season_options, seed=int(spec.params.get("seed", 0)), on_progress=progress)
    return [ModelSpec(s.key, params) if s.key == LSTM else s for s in specs], summary


def global_series_run(batch, sid: str) -> TrainingRun:
    """One series of a batch as a run whose network is the batch's global LSTM seen from that series (not saved).

    Inside the LSTM and Learn then show the network that made the batch's forecasts on this series' dates. A series
    shorter than the network's window plus its horizon is shown padded with its first value, as the network read it."""
    import numpy as np

    from core.data import CleanSeries
    from core.models import GLOBAL_LSTM
    from core.models.global_lstm import SeriesView

    model = batch.models.get(GLOBAL_LSTM)
    if model is None:
        raise DataError(Text("This batch has no {label} network to look inside (it was not trained, or its saved file could "
                             "not be read). Run the batch again with it.", label=Text(REGISTRY[GLOBAL_LSTM].label)))
    if sid not in batch.history:
        raise DataError(Text("There is no series '{sid}' in this batch.", sid=str(sid)[:40]))
    view = SeriesView(model, sid)
    y = batch.history[sid].astype(float)
    report = [Text("Series {sid} of a batch of {count:,}; the global LSTM was trained once on all of them.", sid=sid,
                   count=len(batch.history))]
    short = view.lookback_ + batch.horizon - len(y)
    if short > 0:
        dates = pd.date_range(end=y.index[0], periods=short + 1, freq=y.index.freq)[:-1]
        y = pd.concat([pd.Series(y.iloc[0], index=dates), y])
        report.append(Text("Shorter than the network's window: {short:,} steps before its start show its first value, as the "
                           "network read it.", short=short))
    y = y.rename(str(sid))
    y.index.freq = batch.history[sid].index.freq
    rows = batch.forecasts[(batch.forecasts["unique_id"] == sid) & (batch.forecasts["model"] == REGISTRY[GLOBAL_LSTM].label)]
    forecast = Forecast(pd.DatetimeIndex(rows["date"], freq=y.index.freq), rows["mean"].to_numpy(float), rows["lower"].to_numpy(float),
                        rows["upper"].to_numpy(float), REGISTRY[GLOBAL_LSTM].label, batch.level)
    scored = batch.metrics[(batch.metrics["unique_id"] == sid) & (batch.metrics["model"] == REGISTRY[GLOBAL_LSTM].label)]
    metrics = {k: float(scored[k].iloc[0]) for k in ("MAE", "RMSE", "MAPE", "sMAPE", "MASE", "coverage", "MSIS")
               if k in scored and len(scored) and np.isfinite(scored[k].iloc[0])}
    clean = CleanSeries(y=y, covariates=None, freq=y.index.freqstr, season=batch.season, report=tuple(report),
                        season_options=(batch.season,))
    part = split(y, batch.horizon)
    result = ModelResult(GLOBAL_LSTM, REGISTRY[GLOBAL_LSTM].label, forecast=forecast, metrics=metrics, model=view,
                         description=view.describe())
    evaluation = Evaluation(train=part.train, actual=part.actual, season=batch.season, level=batch.level, results={GLOBAL_LSTM: result})
    dataset = Dataset(name=Text("batch series {sid}", sid=sid), digest=f"batch:{sid}", clean=clean, settings={"batch_series": str(sid)})
    return TrainingRun(dataset=dataset, specs=[ModelSpec(GLOBAL_LSTM)], evaluation=evaluation, test_size=batch.horizon,
                       horizon=batch.horizon, season=batch.season, level=batch.level)


def save_imported(run: TrainingRun, store, owner: str = LOCAL) -> str:
    """A run from a bundle goes into the history like a trained one (``owner``'s); returns its new id."""
    run_id = store.start(run.dataset.name, run.dataset.digest, [s.key for s in run.specs], owner)
    store.finish(run_id, run, seconds=0.0)
    return run_id


def forecast_future(run: TrainingRun, on_progress=no_progress) -> tuple[dict[str, Forecast], dict[str, str]]:
    """Refit every model that finished on all the data and forecast ``run.horizon`` steps past its end.

    Returns the forecasts by model key and, for models that failed now, their sentences."""
    clean = run.dataset.clean
    keys = run.evaluation.ok()
    if run.batch_series:  # a batch's series: the batch's own network, not one trained anew
        view = run.evaluation.inspectable().model
        on_progress(1.0, Text("Done"))
        return {key: view.forecast_after(clean.y, run.horizon) for key in keys}, {}
    specs = [s for s in run.specs if s.key in keys]
    forecasts, errors = {}, {}
    for i, spec in enumerate(specs):
        on_progress(i / max(len(specs), 1), Text("Refitting {label}", label=Text(spec.label)))
        result = fit_predict(spec, clean.y, clean.covariates, run.horizon, season=run.season, level=run.level,
                             season_options=clean.season_options, log=clean.log)
        if result.error:
            errors[spec.key] = result.error
        else:
            forecasts[spec.key] = result.forecast
    on_progress(1.0, Text("Done"))
    return forecasts, errors


def adopt_network(network, dataset: Dataset, level: float = 0.9) -> TrainingRun:
    """Score an uploaded Keras LSTM on the current series as if it had been trained here (its last points held out)."""
    from core.models.lstm import adopt, network_shape

    clean = dataset.clean
    horizon = network_shape(network)[1]
    part = split(clean.y, horizon, clean.covariates)
    model = adopt(network, part.train, part.cov_train, clean.season, level)
    forecast = model.predict(horizon)
    result = ModelResult(LSTM, REGISTRY[LSTM].label, forecast=forecast, model=model,
                         description=Text("uploaded model, lookback {lookback}, horizon {horizon}", lookback=model.lookback_,
                                          horizon=horizon),
                         metrics=score(forecast, part.actual, part.insample, clean.season, level), fit_seconds=0.0, predict_seconds=0.0)
    evaluation = Evaluation(train=part.train, actual=part.actual, season=clean.season, level=level, results={LSTM: result})
    return TrainingRun(dataset=dataset, specs=[ModelSpec(LSTM)], evaluation=evaluation, test_size=horizon,
                       horizon=horizon, season=clean.season, level=level)


def sample_dataset(key: str) -> Dataset:
    """A bundled sample, read and cleaned as the Data page does by default (detected columns, up to 6 covariates)."""
    from core.data import detect_columns, read_table, to_series
    from core.data.samples import get_sample

    sample = get_sample(key)
    data = sample.read_bytes()
    frame = read_table(data, sample.file)
    guess = detect_columns(frame)
    covariates = [c for c in guess.numeric if c not in (guess.target, guess.date)]
    settings = {"date": guess.date, "target": guess.target, "covariates": tuple(covariates) if len(covariates) <= 6 else ()}
    return Dataset(name=sample.file, digest=content_hash(data), clean=to_series(frame, **settings),
                   settings=settings)


def example_run() -> TrainingRun:
    """The Learn page's example when the user has trained no LSTM: a small LSTM on the airline sample."""
    dataset = sample_dataset("airline")
    spec = ModelSpec(LSTM, {"units": 16, "epochs": 60, "patience": 10})
    return train_run(dataset, [spec], RunSettings(test_size=12, horizon=12, season=12))


def future_frame(forecasts: dict[str, Forecast]) -> pd.DataFrame:
    """Future forecasts of every model in one long table (date, model, mean, lower, upper)."""
    frames = []
    for forecast in forecasts.values():
        frame = forecast.to_frame().reset_index()
        frame.columns = ["date", "model", "mean", "lower", "upper"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["date", "model", "mean", "lower", "upper"])
