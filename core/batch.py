"""Many series at once: per-series holdout of every model, M4-style summary (sMAPE, MASE, OWA)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import metrics as M
from core.data import to_series
from core.errors import DataError
from core.evaluation import ModelSpec, holdout


@dataclass
class BatchResult:
    metrics: pd.DataFrame     # one row per (series, model)
    forecasts: pd.DataFrame   # long: unique_id, model, date, mean, lower, upper, actual
    skipped: pd.DataFrame     # unique_id, reason
    summary: pd.DataFrame     # one row per model: mean sMAPE, MASE, OWA, seconds


def split_long(frame: pd.DataFrame, id_col: str = "unique_id", date_col: str = "ds", value_col: str = "y"):
    for col in (id_col, date_col, value_col):
        if col not in frame.columns:
            raise DataError(f"A batch file needs long format with columns '{id_col}', '{date_col}', '{value_col}'; "
                            f"'{col}' is missing (columns: {', '.join(map(str, frame.columns[:8]))}).")
    for sid, part in frame.groupby(id_col, sort=False):
        yield str(sid), part


def one_series(sid: str, part: pd.DataFrame, specs: list[ModelSpec], horizon: int, season: int, level: float,
               date_col: str = "ds", value_col: str = "y"):
    """Holdout of every model on one series; Naive2 is always scored too, for OWA."""
    clean = to_series(part, date=date_col, target=value_col)
    y = clean.y
    if len(y) < horizon + max(2 * season, 10):
        raise DataError(f"{len(y)} points are too few for a horizon of {horizon} with season {season}.")
    keys = [s.key for s in specs]
    all_specs = specs + ([ModelSpec("naive2")] if "naive2" not in keys else [])
    evaluation = holdout(y, all_specs, horizon, season=season, level=level)
    rows, frames = [], []
    ref = evaluation.results["naive2"]
    for key, result in evaluation.results.items():
        row = {"unique_id": sid, "model": result.label, "error": result.error or "", "fit s": result.fit_seconds}
        if result.error is None:
            row.update(result.metrics)
            frame = result.forecast.to_frame().reset_index()
            frame.columns = ["date", "model", "mean", "lower", "upper"]
            frame["actual"] = evaluation.actual.to_numpy()
            frame.insert(0, "unique_id", sid)
            frames.append(frame)
        rows.append(row)
    return rows, frames, (ref.metrics.get("sMAPE"), ref.metrics.get("MASE")) if ref.error is None else (np.nan, np.nan)


def summarise(metrics: pd.DataFrame) -> pd.DataFrame:
    ok = metrics[metrics["error"] == ""]
    if ok.empty:
        return pd.DataFrame(columns=["model", "series", "sMAPE", "MASE", "OWA", "fit s"])
    naive2 = ok[ok["model"] == "Naive2"][["sMAPE", "MASE"]].mean()
    table = ok.groupby("model").agg(series=("unique_id", "nunique"), sMAPE=("sMAPE", "mean"), MASE=("MASE", "mean"),
                                    fit_s=("fit s", "sum")).rename(columns={"fit_s": "fit s"})
    table["OWA"] = [M.owa(r.sMAPE, r.MASE, naive2["sMAPE"], naive2["MASE"]) for r in table.itertuples()]
    return table.reset_index().sort_values("OWA")[["model", "series", "sMAPE", "MASE", "OWA", "fit s"]].reset_index(drop=True)


def run_batch(frame: pd.DataFrame, specs: list[ModelSpec], horizon: int, season: int, level: float = 0.9,
              on_progress=None) -> BatchResult:
    groups = list(split_long(frame))
    rows, frames, skipped = [], [], []
    for i, (sid, part) in enumerate(groups, start=1):
        try:
            r, f, _ = one_series(sid, part, specs, horizon, season, level)
            rows.extend(r)
            frames.extend(f)
        except DataError as error:
            skipped.append({"unique_id": sid, "reason": str(error)})
        if on_progress:
            on_progress(i / len(groups), f"series {i}/{len(groups)}: {sid}")
    metrics = pd.DataFrame(rows)
    if metrics.empty:
        raise DataError("No series in the file could be forecast: " + "; ".join(f"{s['unique_id']}: {s['reason']}" for s in skipped[:3]))
    return BatchResult(metrics=metrics, forecasts=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
                       skipped=pd.DataFrame(skipped, columns=["unique_id", "reason"]), summary=summarise(metrics))
