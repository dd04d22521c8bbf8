"""Tuning the LSTM's settings with Optuna, inside the training part only.

Each trial trains a single network (the run itself then trains the full ensemble with the winning settings).
The run's training part is split once more: its last ``horizon`` points become a validation part that every
trial forecasts and is scored on (MASE), so the test part the leaderboard uses is never seen. Trials are
proposed by TPE, the first one is the current settings (so tuning can only report an improvement it measured),
a trial whose validation loss falls behind the median of earlier trials at the same epoch is pruned from the
epoch callback, and the search stops at the user's time budget. The study is kept in Optuna's storage on
SQLite in the data folder, so its charts can be drawn again when the run is reopened.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import DataError
from core.i18n import Text
from core.evaluation.holdout import score, split
from core.models import LSTM, build_model
from core.models.base import no_progress
from core.models.windows import default_lookback

SEARCHED = ("units", "layers", "lookback", "learning_rate", "dropout")
MAX_BUDGET_S = 3600


@dataclass(frozen=True)
class TuningSummary:
    """What a tuning did, kept with the run (its study stays in the storage file)."""

    study: str
    storage: str              # an SQLAlchemy URL: sqlite:///…/tuning.sqlite
    best: dict                # the searched settings that won
    best_mase: float          # on the validation part
    start_mase: float         # the settings the user had, on the same validation part
    trials: int
    pruned: int
    seconds: float
    validation_points: int

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "TuningSummary":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def storage_url(root: Path) -> str:
    return f"sqlite:///{Path(root) / 'tuning.sqlite'}"


UNITS = (8, 16, 32, 64)


def _lookbacks(season: int, horizon: int, length: int) -> list[int]:
    """One to four seasons (or horizons, for a series without a season), as far as the data allows, plus the automatic one."""
    base = season if season > 1 else max(horizon, 4)
    longest = max(4, length - horizon - 9)
    return sorted({min(longest, k * base) for k in (1, 2, 3, 4)} | {default_lookback(season, horizon, length)})


def _space(trial, lookbacks: list[int]) -> dict:
    return {"units": trial.suggest_categorical("units", list(UNITS)),
            "layers": trial.suggest_int("layers", 1, 2),
            "lookback": trial.suggest_categorical("lookback", lookbacks),
            "learning_rate": trial.suggest_float("learning_rate", 5e-4, 2e-2, log=True),
            "dropout": trial.suggest_float("dropout", 0.0, 0.3)}


def _nearest(value, choices) -> object:
    return min(choices, key=lambda c: abs(c - value))


def check_tuning(length: int, test_size: int, budget_s: float) -> None:
    """Nothing, or a sentence saying why these settings cannot be tuned (checked before any model is fitted)."""
    if not 1 <= budget_s <= MAX_BUDGET_S:
        raise DataError(Text("A tuning budget is 1 to {MAX_BUDGET_S:,} seconds; {budget_s:g} was asked.", MAX_BUDGET_S=MAX_BUDGET_S, budget_s=budget_s))
    left = length - 2 * test_size
    needed = test_size + 13  # the shortest lookback searched (4) and 10 training windows
    if left < needed:
        raise DataError(Text("Tuning holds out the last {test_size} points of the training part to compare settings, which "
                             "leaves {left} points to train on; at least {needed} are needed. Turn tuning off or choose a "
                             "smaller test size.", test_size=test_size, left=max(left, 0), needed=needed))


def tune_lstm(series: pd.Series, covariates: pd.DataFrame | None, *, test_size: int, season: int, level: float, log: bool,
              params: dict, budget_s: float, root: Path, name: str = "run", max_trials: int | None = None,
              season_options=(), seed: int = 0, pruner=None, on_progress=no_progress) -> tuple[dict, TuningSummary]:
    """Search the LSTM's settings on the training part; return the settings to train with and what the search did.

    ``pruner`` defaults to Optuna's median pruner (after 3 trials and 5 epochs)."""
    import optuna

    check_tuning(len(series), test_size, budget_s)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    part = split(series, test_size, covariates, log)            # the run's own split: its test part stays unseen
    inner = split(part.train, test_size, part.cov_train, log)   # the training part's last points validate each trial
    lookbacks = _lookbacks(season, test_size, len(inner.train))
    started = time.perf_counter()

    def objective(trial) -> float:
        # One network per trial (not the ensemble the run then trains): about twice the settings tried in the same time.
        chosen = {**params, "members": 1, **_space(trial, lookbacks)}

        def on_epoch(epoch, logs):
            trial.report(float(logs["val_loss"]), epoch)
            on_progress(min(0.99, (time.perf_counter() - started) / budget_s), said[0])  # the bar moves; a Stop is heard here
            over_time = time.perf_counter() - started > budget_s and trial.number > 0  # the first trial always finishes
            if over_time or trial.should_prune():
                raise optuna.TrialPruned()

        model = build_model(LSTM, season=season, horizon=test_size, level=level, season_options=season_options, **chosen)
        model.fit(inner.train, inner.cov_train, on_epoch=on_epoch)
        forecast = model.predict(test_size)
        if log:
            forecast = forecast.exp()
        value = float(score(forecast, inner.actual, inner.insample, season, level)["MASE"])
        return value if np.isfinite(value) else float("inf")

    said = [Text("Tuning: {trials} settings tried, best validation MASE {best:.3f}", trials=0, best=float("nan"))]

    def report(study, trial) -> None:
        best = study.best_value if any(t.state.name == "COMPLETE" for t in study.trials) else float("nan")
        said[0] = Text("Tuning: {trials} settings tried, best validation MASE {best:.3f}", trials=len(study.trials), best=best)
        on_progress(min(0.99, (time.perf_counter() - started) / budget_s), said[0])

    study_name = f"{name[:40]}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    storage = storage_url(root)
    study = optuna.create_study(study_name=study_name, storage=storage, direction="minimize",
                                sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=5),
                                pruner=pruner or optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=5))
    # The first trial is the settings the user had (as near as the searched choices allow).
    study.enqueue_trial({"units": _nearest(int(params.get("units", 32)), UNITS), "layers": min(2, int(params.get("layers", 1))),
                         "lookback": _nearest(int(params.get("lookback") or default_lookback(season, test_size, len(inner.train))),
                                              lookbacks),
                         "learning_rate": float(np.clip(params.get("learning_rate", 3e-3), 5e-4, 2e-2)),
                         "dropout": float(np.clip(params.get("dropout", 0.0), 0.0, 0.3))})
    try:
        study.optimize(objective, timeout=budget_s, n_trials=max_trials, callbacks=[report], catch=(DataError,))
    except BaseException:  # stopped by the reader, or failed: the run is not kept, and neither is its search
        optuna.delete_study(study_name=study_name, storage=storage)
        raise
    complete = [t for t in study.trials if t.state.name == "COMPLETE"]
    if not complete:
        raise DataError(Text("No tuning trial finished within the budget; give tuning more seconds or turn it off."))
    best = {k: study.best_params[k] for k in SEARCHED}
    first = study.trials[0]
    summary = TuningSummary(study=study_name, storage=storage, best=best, best_mase=float(study.best_value),
                            start_mase=float(first.value) if first.state.name == "COMPLETE" else float("nan"),
                            trials=len(study.trials), pruned=sum(t.state.name == "PRUNED" for t in study.trials),
                            seconds=time.perf_counter() - started, validation_points=test_size)
    on_progress(1.0, Text("Tuning: best of {trials} settings, validation MASE {best:.3f}", trials=summary.trials, best=summary.best_mase))
    return {**params, **best}, summary


def load_study(summary: TuningSummary):
    """The stored study, or None when its storage file is gone."""
    import optuna

    try:
        return optuna.load_study(study_name=summary.study, storage=summary.storage)
    except Exception:  # the file or the study is gone (moved, deleted): the run keeps its summary
        return None
