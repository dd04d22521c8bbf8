"""Many series at once: per-series holdout of every model, M4-style summary (sMAPE, MASE, OWA).

Three steps. Each series is cleaned here (a bad one is skipped with its reason). The per-series
models then run on each series, in this process or on Dask workers (core.batch.cluster); the result
does not depend on where they ran. Last, batch-wide models (the global LSTM) train once on all
series. OWA is always relative to Naive2, which is scored on every series.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.batch.cluster import SERIAL, check_scheduler, close_client, open_client
from core.data import to_series
from core.errors import DataError
from core.i18n import Text, joined, message_of, table
from core.evaluation import metrics as M
from core.evaluation.holdout import ModelSpec, fit_predict, holdout, score
from core.models import NAIVE2, REGISTRY, label

SUMMARY_COLUMNS = ["model", "series", "sMAPE", "MASE", "OWA", "fit s"]


@dataclass
class BatchResult:
    metrics: pd.DataFrame     # one row per (series, model)
    forecasts: pd.DataFrame   # long: unique_id, date, model, mean, lower, upper, actual
    skipped: pd.DataFrame     # unique_id, reason
    summary: pd.DataFrame     # one row per model: mean sMAPE, MASE, OWA, total fit seconds
    history: dict[str, pd.Series] = field(default_factory=dict)  # each forecast series' cleaned values
    seconds: float = float("nan")
    horizon: int = 0
    season: int = 1
    level: float = 0.9
    scheduler: str = SERIAL
    notes: list[str] = field(default_factory=list)
    score_season: int | None = None  # the season MASE and Naive2 used, when not the models' (M4: 1 for weekly)
    models: dict = field(default_factory=dict)  # panel models as trained (kept in memory only, to look inside)


def split_long(frame: pd.DataFrame, id_col: str = "unique_id", date_col: str = "ds", value_col: str = "y"):
    for col in (id_col, date_col, value_col):
        if col not in frame.columns:
            raise DataError(Text("A batch file needs long format with columns '{id_col}', '{date_col}', '{value_col}'; '{col}' "
                                 "is missing (columns: {join}).", id_col=id_col, date_col=date_col, value_col=value_col, col=col, join=', '.join(map(str, frame.columns[:8]))))
    if len({id_col, date_col, value_col}) < 3:
        raise DataError(Text("The series id, date and value columns must be three different columns."))
    for sid, part in frame.groupby(id_col, sort=False):
        yield str(sid), part


def clean_series(part: pd.DataFrame, horizon: int, season: int, date_col: str = "ds", value_col: str = "y") -> pd.Series:
    """One regular series from its rows, or DataError saying why it cannot be forecast."""
    y = to_series(part, date=date_col, target=value_col).y
    need = horizon + max(season + 1, 10)  # one season and a step to scale MASE; each model says if it needs more
    if len(y) < need:
        raise DataError(Text("{count} points are too few for a horizon of {horizon} with season {season} (at least {need} "
                             "are needed).", count=len(y), horizon=horizon, season=season, need=need))
    return y


def _rows(sid: str, model: str, forecast, actual: pd.Series, metrics: dict, seconds: float, error: str | None):
    """One series' metrics row and forecast rows for one model (metrics computed by the caller, once)."""
    row = {"unique_id": sid, "model": model, "error": error or "", "fit s": seconds}
    if error is not None:
        return row, None
    row.update(metrics)
    frame = forecast.to_frame().reset_index()
    frame.columns = ["date", "model", "mean", "lower", "upper"]
    frame["actual"] = actual.to_numpy()
    frame.insert(0, "unique_id", sid)
    return row, frame


def forecast_series(sid: str, y: pd.Series, specs: list[ModelSpec], horizon: int, season: int, level: float,
                    score_season: int | None = None):
    """Holdout of every per-series model on one series (Naive2 always among them). Runs on any Dask worker.

    With ``score_season``, MASE is scaled by it and Naive2 adjusts for it (not for ``season``), as M4 did."""
    reference = ModelSpec(NAIVE2, {} if score_season is None else {"season": score_season})
    all_specs = [reference if s.key == NAIVE2 else s for s in specs]
    if NAIVE2 not in [s.key for s in specs]:
        all_specs.append(reference)
    evaluation = holdout(y, all_specs, horizon, season=season, level=level, score_season=score_season)
    rows, frames = [], []
    for result in evaluation.results.values():
        row, frame = _rows(sid, result.label, result.forecast, evaluation.actual, result.metrics, result.fit_seconds, result.error)
        rows.append(row)
        if frame is not None:
            frames.append(frame)
    return rows, frames


def run_global(spec: ModelSpec, series: dict[str, pd.Series], horizon: int, season: int, level: float,
               on_progress=None, score_season: int | None = None) -> tuple[list[dict], list[pd.DataFrame], str, object]:
    """Train a panel model once on every series' training part and score it on each holdout (and return the model)."""
    started = time.perf_counter()
    train = {sid: y.iloc[:-horizon] for sid, y in series.items()}
    result = fit_predict(spec, train, None, horizon, season=season, level=level,
                         on_progress=on_progress or (lambda fraction, message: None))
    note = result.description if result.error is None else Text("{label}: {error}", label=Text(spec.label), error=result.error)
    share = (time.perf_counter() - started) / max(len(series), 1)  # each series' share of the one training
    rows, frames = [], []
    for sid, y in series.items():
        forecast = result.forecast[sid] if result.error is None else None
        metrics = score(forecast, y.iloc[-horizon:], train[sid].to_numpy(dtype=float), score_season or season, level) if forecast else {}
        row, frame = _rows(sid, spec.label, forecast, y.iloc[-horizon:], metrics, share, result.error)
        rows.append(row)
        if frame is not None:
            frames.append(frame)
    return rows, frames, note, result.model


def summarise(metrics: pd.DataFrame) -> pd.DataFrame:
    ok = metrics[metrics["error"] == ""]
    if ok.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    naive2 = ok[ok["model"] == label(NAIVE2)][["sMAPE", "MASE"]].mean()
    table = ok.groupby("model").agg(series=("unique_id", "nunique"), sMAPE=("sMAPE", "mean"), MASE=("MASE", "mean"),
                                    fit_s=("fit s", "sum")).rename(columns={"fit_s": "fit s"})
    table["OWA"] = [M.owa(r.sMAPE, r.MASE, naive2["sMAPE"], naive2["MASE"]) for r in table.itertuples()]
    return table.reset_index().sort_values("OWA")[SUMMARY_COLUMNS].reset_index(drop=True)


def _seconds(outcome) -> float:
    """Fitting seconds of one series' models, wherever they ran."""
    return float(np.nansum([row["fit s"] for row in outcome[0]]))


def _per_series(series: dict[str, pd.Series], specs, horizon, season, level, scheduler, client, on_series, score_season=None):
    """{sid: (rows, frames)} for the per-series models, serially or on Dask; on_series(sid, fit seconds) as each finishes."""
    out = {}
    if scheduler == SERIAL and client is None:
        for sid, y in series.items():
            out[sid] = forecast_series(sid, y, specs, horizon, season, level, score_season)
            on_series(sid, _seconds(out[sid]))
        return out
    from distributed import as_completed

    own = client is None
    client = client or open_client(scheduler)
    try:
        futures = {client.submit(forecast_series, sid, y, specs, horizon, season, level, score_season, key=f"series-{i}-{sid}",
                                 pure=False): sid
                   for i, (sid, y) in enumerate(series.items())}
        for future in as_completed(futures):
            sid = futures[future]
            out[sid] = future.result()
            on_series(sid, _seconds(out[sid]))
    finally:
        if own:
            close_client(client)
    return out


def run_batch(frame: pd.DataFrame, specs: list[ModelSpec], horizon: int, season: int, level: float = 0.9, *,
              columns: tuple[str, str, str] = ("unique_id", "ds", "y"), scheduler: str | None = SERIAL, client=None,
              on_progress=None, on_series=None, score_season: int | None = None) -> BatchResult:
    """Holdout of every model on every series of a long table.

    ``on_progress(fraction, message)`` reports overall progress; ``on_series(sid, status, detail)``
    reports each series as it is skipped ('skipped', reason) or done ('done', seconds).
    A ``client`` already connected to Dask is used as is (the page keeps one); otherwise
    ``scheduler`` decides (see core.batch.cluster).
    """
    started = time.perf_counter()
    if horizon < 1:
        raise DataError(Text("The horizon must be at least 1 step."))
    if season < 1 or (score_season is not None and score_season < 1):
        raise DataError(Text("The season must be at least 1 step (1 means none)."))
    scheduler = check_scheduler(scheduler)
    unknown = [s.key for s in specs if s.key not in REGISTRY]
    if unknown:
        raise DataError(Text("Unknown model(s) {join}; choose from {join2}.", join=', '.join(unknown), join2=', '.join(REGISTRY)))
    if not specs:
        raise DataError(Text("Choose at least one model."))
    progress = on_progress or (lambda fraction, message: None)
    tell = on_series or (lambda sid, status, detail: None)
    id_col, date_col, value_col = columns

    series, skipped = {}, []
    for sid, part in split_long(frame, id_col, date_col, value_col):
        try:
            series[sid] = clean_series(part, horizon, season, date_col, value_col)
        except DataError as error:
            skipped.append({"unique_id": sid, "reason": message_of(error)})
            tell(sid, "skipped", message_of(error))
    if not series:
        reasons = joined(Text("{sid}: {reason}", sid=s["unique_id"], reason=s["reason"]) for s in skipped[:3])
        raise DataError(Text("No series in the file could be forecast: {reasons}", reasons=reasons))

    local = [s for s in specs if not REGISTRY[s.key].panel]
    global_specs = [s for s in specs if REGISTRY[s.key].panel]
    # Progress: one step per series for the per-series models, and as many for each panel model (it fits them all, and
    # takes longer than all of them together).
    steps = len(series) * (1 + len(global_specs))
    done = [0]

    def finished(sid, seconds):
        done[0] += 1
        tell(sid, "done", seconds)
        progress(done[0] / steps, Text("series {done}/{count}: {sid}", done=done[0], count=len(series), sid=sid))

    outcomes = _per_series(series, local, horizon, season, level, scheduler, client, finished, score_season)
    rows, frames, notes, models = [], [], [], {}
    for sid in series:  # the input's order, whatever order the workers finished in
        rows.extend(outcomes[sid][0])
        frames.extend(outcomes[sid][1])
    for spec in global_specs:
        def global_progress(fraction, message, base=done[0]):
            progress(min(1.0, (base + fraction * len(series)) / steps), message)
        g_rows, g_frames, note, models[spec.key] = run_global(spec, series, horizon, season, level, global_progress, score_season)
        done[0] += len(series)
        rows.extend(g_rows)
        frames.extend(g_frames)
        notes.append(note)
    metrics = table(rows)
    order = {sid: i for i, sid in enumerate(series)}
    metrics = metrics.sort_values("unique_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return BatchResult(metrics=metrics, forecasts=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
                       skipped=table(skipped, columns=["unique_id", "reason"]), summary=summarise(metrics),
                       history=series, seconds=time.perf_counter() - started, horizon=horizon, season=season, level=level,
                       scheduler=scheduler if client is None else "dask client", notes=notes, score_season=score_season,
                       models={k: m for k, m in models.items() if m is not None})


def check_columns(frame: pd.DataFrame, columns: tuple[str, str, str] | None = None) -> None:
    """A batch needs three different columns: a series id, a date and a value."""
    if frame.shape[1] < 3:
        raise DataError(Text("This file has {shape} column(s); a batch needs three: a series id, a date and a value. For a "
                             "single series use the Data page.", shape=frame.shape[1]))
    if columns is not None and len(set(columns)) < 3:
        raise DataError(Text("Choose three different columns for the series id, the date and the value."))


def suggest_settings(frame: pd.DataFrame, id_col: str, date_col: str, value_col: str) -> tuple[int, int]:
    """Season and horizon suggested by the first series; (1, 12) when it cannot be cleaned."""
    first = frame[id_col].iloc[0]
    try:
        clean = to_series(frame[frame[id_col] == first], date=date_col, target=value_col)
    except DataError:
        return 1, 12
    season = max(1, int(clean.season))
    return season, int(max(1, min(season if season > 1 else 12, len(clean.y) // 5)))
