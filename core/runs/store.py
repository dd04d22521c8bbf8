"""Run history: every finished training run in SQLite (WAL) plus its LSTM as a .keras file.

The data directory is $LSTM_LENS_HOME, or ~/.lstm-lens, created on first use. A run is
written as 'running' when training starts and completed in one transaction when it
finishes, so a crash leaves it marked, never half-written. File names on disk come from
run ids only, never from anything a user typed.
"""
from __future__ import annotations

import json
import math
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from core.data import CleanSeries
from core.errors import DataError
from core.evaluation.holdout import Evaluation, ModelResult, ModelSpec
from core.evaluation.metrics import Undefined
from core.models.base import Forecast
from core.runs.records import Dataset, TrainingRun

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, created REAL NOT NULL, finished REAL, status TEXT NOT NULL, pid INTEGER,
    dataset_name TEXT NOT NULL, dataset_hash TEXT NOT NULL, models TEXT NOT NULL, best_model TEXT, best_mase REAL,
    device TEXT, seconds REAL, message TEXT, payload TEXT
);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model_key TEXT NOT NULL, payload TEXT NOT NULL,
    model_file TEXT, PRIMARY KEY (run_id, model_key)
);
"""


def data_dir() -> Path:
    return Path(os.environ.get("LSTM_LENS_HOME") or Path.home() / ".lstm-lens")


# ------------------------------------------------------------------ (de)serialising
def _num(value):
    if isinstance(value, Undefined):
        return {"undefined": value.reason}
    value = float(value)
    return None if math.isnan(value) else value


def _unnum(value):
    if isinstance(value, dict) and "undefined" in value:
        return Undefined(value["undefined"])
    return float("nan") if value is None else float(value)


def series_to_json(y: pd.Series) -> dict:
    return {"name": str(y.name), "freq": y.index.freqstr, "start": y.index[0].isoformat(), "values": [_num(v) for v in y.to_numpy()]}


def series_from_json(data: dict) -> pd.Series:
    index = pd.date_range(data["start"], periods=len(data["values"]), freq=data["freq"]).as_unit("ns")
    return pd.Series([_unnum(v) for v in data["values"]], index=index, name=data["name"], dtype=float)


def clean_to_json(clean: CleanSeries) -> dict:
    cov = None
    if clean.covariates is not None:
        cov = {str(c): series_to_json(clean.covariates[c].rename(c)) for c in clean.covariates.columns}
    return {"y": series_to_json(clean.y), "covariates": cov, "freq": clean.freq, "season": clean.season,
            "report": list(clean.report), "log": clean.log, "season_options": list(clean.season_options)}


def clean_from_json(data: dict) -> CleanSeries:
    cov = None
    if data.get("covariates"):
        cov = pd.DataFrame({name: series_from_json(s) for name, s in data["covariates"].items()})
    return CleanSeries(y=series_from_json(data["y"]), covariates=cov, freq=data["freq"], season=int(data["season"]),
                       report=tuple(data["report"]), log=bool(data["log"]), season_options=tuple(data["season_options"]))


def forecast_to_json(f: Forecast) -> dict:
    return {"index": [t.isoformat() for t in f.index], "freq": f.index.freqstr, "mean": f.mean.tolist(), "lower": f.lower.tolist(),
            "upper": f.upper.tolist(), "model": f.model, "level": f.level}


def forecast_from_json(d: dict) -> Forecast:
    index = pd.DatetimeIndex(pd.to_datetime(d["index"]).as_unit("ns"), freq=d.get("freq"))
    return Forecast(index, np.asarray(d["mean"], float), np.asarray(d["lower"], float), np.asarray(d["upper"], float), d["model"], d["level"])


def result_to_json(r: ModelResult) -> dict:
    out = {"key": r.key, "label": r.label, "metrics": {k: _num(v) for k, v in r.metrics.items()},
           "fit_seconds": _num(r.fit_seconds), "predict_seconds": _num(r.predict_seconds),
           "description": r.description, "error": r.error, "notes": r.notes if r.error is None else "",
           "forecast": forecast_to_json(r.forecast) if r.forecast is not None else None}
    if r.key == "lstm" and r.error is None and r.model is not None:
        out["lstm_state"] = r.model.state()
    return out


def run_payload(run: TrainingRun) -> dict:
    return {"dataset": {"name": run.dataset.name, "digest": run.dataset.digest, "settings": run.dataset.settings,
                        "clean": clean_to_json(run.dataset.clean)},
            "specs": [{"key": s.key, "params": s.params} for s in run.specs],
            "test_size": run.test_size, "horizon": run.horizon, "season": run.season, "level": run.level,
            "log": run.evaluation.log}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return _num(value)
    return value


def rebuild(payload: dict, results: dict[str, dict], models: dict[str, object], run_id: str, created: float) -> TrainingRun:
    """A TrainingRun from stored JSON and loaded Keras models, with no retraining."""
    from core.models.lstm import restore

    ds = payload["dataset"]
    clean = clean_from_json(ds["clean"])
    test_size = int(payload["test_size"])
    train, test = clean.y.iloc[:-test_size], clean.y.iloc[-test_size:]
    log = bool(payload.get("log"))
    out: dict[str, ModelResult] = {}
    for key, r in results.items():
        result = ModelResult(key=r["key"], label=r["label"], metrics={k: _unnum(v) for k, v in r["metrics"].items()},
                             fit_seconds=_unnum(r["fit_seconds"]), predict_seconds=_unnum(r["predict_seconds"]),
                             description=r["description"], error=r["error"], notes=r.get("notes", ""),
                             forecast=forecast_from_json(r["forecast"]) if r.get("forecast") else None)
        if key == "lstm" and key in models and r.get("lstm_state"):
            cov_train = clean.covariates.iloc[:-test_size] if clean.covariates is not None else None
            result.model = restore(r["lstm_state"], models[key], train, cov_train)
        out[key] = result
    evaluation = Evaluation(train=np.exp(train) if log else train, actual=np.exp(test) if log else test,
                            season=int(payload["season"]), level=float(payload["level"]), results=out, log=log)
    dataset = Dataset(name=ds["name"], digest=ds["digest"], clean=clean, settings=ds["settings"])
    specs = [ModelSpec(s["key"], s["params"]) for s in payload["specs"]]
    return TrainingRun(dataset=dataset, specs=specs, evaluation=evaluation, test_size=test_size, horizon=int(payload["horizon"]),
                       season=int(payload["season"]), level=float(payload["level"]), run_id=run_id, created=created)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ------------------------------------------------------------------ the store
class RunStore:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else data_dir()
        self.models = self.root / "models"
        self.models.mkdir(parents=True, exist_ok=True)
        self.path = self.root / "runs.sqlite"
        self._enable_wal()
        with self._connect() as db:
            db.executescript(SCHEMA)
            # Several processes may open a new store at once: the first insert wins, the rest read it.
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if int(found[0]) > SCHEMA_VERSION:
                raise DataError(f"The run history in {self.root} was written by a newer LSTM Lens (schema {found[0]}); update the app.")

    def _enable_wal(self) -> None:
        """WAL is a property of the database file, set once. Changing the journal mode does not wait on the
        busy handler, so a store opened while another process writes retries briefly instead of failing."""
        for attempt in range(100):
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError:
                time.sleep(0.05 * (1 + attempt % 5))
            finally:
                db.close()
        raise DataError(f"The run history in {self.root} stayed locked by another process; try again in a moment.")

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    def start(self, dataset_name: str, dataset_hash: str, models: list[str]) -> str:
        run_id = uuid.uuid4().hex[:12]
        with self._connect() as db:
            db.execute("INSERT INTO runs (id, created, status, pid, dataset_name, dataset_hash, models) VALUES (?,?,?,?,?,?,?)",
                       (run_id, time.time(), "running", os.getpid(), dataset_name, dataset_hash, ",".join(models)))
        return run_id

    def finish(self, run_id: str, run: TrainingRun, seconds: float) -> None:
        """Write every result and model file, then mark the run finished, in one transaction."""
        files: dict[str, str] = {}
        for key, result in run.evaluation.results.items():
            if key == "lstm" and result.error is None and result.model is not None:
                name = f"{run_id}-{key}.keras"
                tmp = self.models / f".{name}.partial.keras"
                result.model.model_.save(tmp)
                os.replace(tmp, self.models / name)
                files[key] = name
        board = run.evaluation.leaderboard()
        best = board.iloc[0] if len(board) and board.iloc[0]["status"] == "ok" else None
        lstm = run.evaluation.results.get("lstm")
        device = lstm.model.device_ if lstm is not None and lstm.error is None and lstm.model is not None else "cpu"
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for key, result in run.evaluation.results.items():
                    db.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?)",
                               (run_id, key, json.dumps(_jsonable(result_to_json(result))), files.get(key)))
                db.execute("UPDATE runs SET status='finished', finished=?, best_model=?, best_mase=?, device=?, seconds=?, payload=? WHERE id=?",
                           (time.time(), None if best is None else best["model"], None if best is None else _num(best["MASE"]),
                            device, seconds, json.dumps(_jsonable(run_payload(run))), run_id))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        run.run_id = run_id

    def fail(self, run_id: str, message: str) -> None:
        with self._connect() as db:
            db.execute("UPDATE runs SET status='failed', finished=?, message=? WHERE id=?", (time.time(), message[:2000], run_id))

    def list(self) -> pd.DataFrame:
        with self._connect() as db:
            rows = db.execute("SELECT id, created, finished, status, pid, dataset_name, models, best_model, best_mase, device, seconds, message "
                              "FROM runs ORDER BY created DESC").fetchall()
        frame = pd.DataFrame(rows, columns=["id", "created", "finished", "status", "pid", "dataset", "models", "best model",
                                            "best MASE", "device", "seconds", "message"])
        if frame.empty:
            return frame
        stale = (frame["status"] == "running") & ~frame["pid"].map(_pid_alive)
        frame.loc[stale, "status"] = "interrupted"
        frame["created"] = pd.to_datetime(frame["created"], unit="s").dt.strftime("%Y-%m-%d %H:%M:%S")
        return frame.drop(columns=["pid", "finished"])

    def load(self, run_id: str) -> TrainingRun:
        from core.models.lstm import load_keras

        with self._connect() as db:
            row = db.execute("SELECT status, payload, created FROM runs WHERE id=?", (run_id,)).fetchone()
            if row is None:
                raise DataError(f"There is no run '{run_id}' in the history.")
            if row[0] != "finished":
                raise DataError(f"Run {run_id} did not finish ({row[0]}); only finished runs can be reopened.")
            results = {key: (json.loads(payload), file) for key, payload, file in
                       db.execute("SELECT model_key, payload, model_file FROM results WHERE run_id=?", (run_id,))}
        models = {key: load_keras(self.models / file) for key, (_, file) in results.items() if file}
        return rebuild(json.loads(row[1]), {k: v[0] for k, v in results.items()}, models, run_id, row[2])

    def model_path(self, run_id: str, key: str = "lstm") -> Path | None:
        with self._connect() as db:
            row = db.execute("SELECT model_file FROM results WHERE run_id=? AND model_key=?", (run_id, key)).fetchone()
        return self.models / row[0] if row and row[0] else None

    def delete(self, run_id: str) -> None:
        with self._connect() as db:
            files = [r[0] for r in db.execute("SELECT model_file FROM results WHERE run_id=? AND model_file IS NOT NULL", (run_id,))]
            db.execute("DELETE FROM results WHERE run_id=?", (run_id,))
            db.execute("DELETE FROM runs WHERE id=?", (run_id,))
        for name in files:
            (self.models / Path(name).name).unlink(missing_ok=True)

    def integrity_ok(self) -> bool:
        with self._connect() as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
