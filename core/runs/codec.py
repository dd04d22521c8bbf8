"""The one JSON codec for runs: the run store and the bundles both write and read a run through here.

A run is rebuilt from its JSON and its saved networks with no retraining; the split and the
log back-transform come from core.evaluation.holdout, as when the run was trained.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.data import CleanSeries
from core.data.dates import STEPS, is_steps, step_index
from core.evaluation.holdout import Evaluation, ModelResult, ModelSpec, split
from core.evaluation.metrics import Undefined
from core.i18n import Text, from_messages, messages_json
from core.models import REGISTRY
from core.models.base import Forecast
from core.runs.records import Dataset, TrainingRun


def num(value):
    if isinstance(value, Undefined):
        return {"undefined": value.reason}
    value = float(value)
    return None if math.isnan(value) else value


def unnum(value):
    if isinstance(value, dict) and "undefined" in value:
        return Undefined(value["undefined"])
    return float("nan") if value is None else float(value)


def jsonable(value):
    """Plain JSON types all the way down (NaN as null, NumPy numbers as Python numbers)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return num(value)
    return value


def _index_to_json(index: pd.Index) -> dict:
    if is_steps(index):
        return {"freq": STEPS, "start": int(index[0])}
    return {"freq": index.freqstr, "start": index[0].isoformat()}


def series_to_json(y: pd.Series) -> dict:
    return {"name": str(y.name), **_index_to_json(y.index), "values": [num(v) for v in y.to_numpy()]}


def series_from_json(data: dict) -> pd.Series:
    if data["freq"] == STEPS:
        index = step_index(int(data["start"]), len(data["values"]))
    else:
        index = pd.date_range(data["start"], periods=len(data["values"]), freq=data["freq"]).as_unit("ns")
    return pd.Series([unnum(v) for v in data["values"]], index=index, name=data["name"], dtype=float)


def clean_to_json(clean: CleanSeries) -> dict:
    cov = None
    if clean.covariates is not None:
        cov = {str(c): series_to_json(clean.covariates[c].rename(c)) for c in clean.covariates.columns}
    return {"y": series_to_json(clean.y), "covariates": cov, "freq": clean.freq, "season": clean.season,
            "report": [str.__str__(line) for line in clean.report], "log": clean.log,
            "report_messages": messages_json(clean.report), "season_options": list(clean.season_options)}


def clean_from_json(data: dict) -> CleanSeries:
    cov = None
    if data.get("covariates"):
        cov = pd.DataFrame({name: series_from_json(s) for name, s in data["covariates"].items()})
    return CleanSeries(y=series_from_json(data["y"]), covariates=cov, freq=data["freq"], season=int(data["season"]),
                       report=tuple(from_messages(data["report"], data.get("report_messages"))), log=bool(data["log"]), season_options=tuple(data["season_options"]))


def forecast_to_json(f: Forecast) -> dict:
    irregular = not is_steps(f.index) and f.index.freq is None
    where = {"index": [t.isoformat() for t in f.index], "freq": None} if irregular else _index_to_json(f.index)
    return {**where, "periods": len(f.index), "mean": f.mean.tolist(), "lower": f.lower.tolist(),
            "upper": f.upper.tolist(), "model": f.model, "level": f.level}


def forecast_from_json(d: dict) -> Forecast:
    if "index" in d:  # runs saved before step indexes listed every timestamp
        index = pd.DatetimeIndex(pd.to_datetime(d["index"]).as_unit("ns"), freq=d.get("freq"))
    elif d["freq"] == STEPS:
        index = step_index(int(d["start"]), int(d["periods"]))
    else:
        index = pd.date_range(d["start"], periods=int(d["periods"]), freq=d["freq"]).as_unit("ns")
    return Forecast(index, np.asarray(d["mean"], float), np.asarray(d["lower"], float), np.asarray(d["upper"], float), d["model"], d["level"])


def result_to_json(r: ModelResult) -> dict:
    out = {"key": r.key, "label": r.label, "metrics": {k: num(v) for k, v in r.metrics.items()},
           "fit_seconds": num(r.fit_seconds), "predict_seconds": num(r.predict_seconds),
           "description": r.description, "error": r.error, "notes": r.notes if r.error is None else "",
           "forecast": forecast_to_json(r.forecast) if r.forecast is not None else None}
    messages = {k: v.to_json() for k in _MESSAGE_FIELDS if isinstance(v := out[k], Text)}
    if messages:  # kept as catalogue messages too, so a reopened run is shown in the reader's language
        out["messages"] = messages
    if r.error is None and r.model is not None and r.model.network() is not None:
        out["state"] = r.model.state()  # with the network file, enough to forecast again
    return jsonable(out)


_MESSAGE_FIELDS = ("description", "error", "notes")


def _message(r: dict, field: str):
    """A result's sentence: its catalogue message where the run kept one, else the text as saved."""
    kept = (r.get("messages") or {}).get(field)
    return Text.from_json(kept) if kept else r.get(field, "")


def saved_state(r: dict) -> dict | None:
    return r.get("state") or r.get("lstm_state")  # runs saved before the redesign called it lstm_state


def run_payload(run: TrainingRun) -> dict:
    return jsonable({"dataset": {"name": run.dataset.name, "digest": run.dataset.digest, "settings": run.dataset.settings,
                                 "clean": clean_to_json(run.dataset.clean)},
                     "specs": [{"key": s.key, "params": s.params} for s in run.specs],
                     "test_size": run.test_size, "horizon": run.horizon, "season": run.season, "level": run.level,
                     "log": run.evaluation.log, "tuning": run.tuning})


def rebuild(payload: dict, results: dict[str, dict], networks: dict[str, object], run_id: str | None,
            created: float | None) -> TrainingRun:
    """A TrainingRun from its JSON and its loaded Keras networks, with no retraining."""
    ds = payload["dataset"]
    clean = clean_from_json(ds["clean"])
    test_size = int(payload["test_size"])
    part = split(clean.y, test_size, clean.covariates, bool(payload.get("log")))
    out: dict[str, ModelResult] = {}
    for key, r in results.items():
        result = ModelResult(key=r["key"], label=r["label"], metrics={k: unnum(v) for k, v in r["metrics"].items()},
                             fit_seconds=unnum(r["fit_seconds"]), predict_seconds=unnum(r["predict_seconds"]),
                             description=_message(r, "description"), error=r["error"] and _message(r, "error"),
                             notes=_message(r, "notes"),
                             forecast=forecast_from_json(r["forecast"]) if r.get("forecast") else None)
        state = saved_state(r)
        if key in networks and state and key in REGISTRY:
            result.model = REGISTRY[key].load().restore(state, networks[key], part.train, part.cov_train)
        out[key] = result
    evaluation = Evaluation(train=part.train_original, actual=part.actual, season=int(payload["season"]),
                            level=float(payload["level"]), results=out, log=part.log)
    dataset = Dataset(name=ds["name"], digest=ds["digest"], clean=clean, settings=ds["settings"])
    specs = [ModelSpec(s["key"], s["params"]) for s in payload["specs"]]
    return TrainingRun(dataset=dataset, specs=specs, evaluation=evaluation, test_size=test_size, horizon=int(payload["horizon"]),
                       season=int(payload["season"]), level=float(payload["level"]), run_id=run_id, created=created,
                       tuning=payload.get("tuning"))
