"""Finished batches on disk, so a browser refresh or a server restart does not lose them.

Each batch is a folder under <data dir>/batches/<id>/ with its tables as Parquet and a meta.json;
the folder is written under a temporary name and renamed when complete, so a crash never leaves
half a batch behind.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

import pandas as pd

from core.batch.panel import BatchResult
from core.errors import DataError
from core.i18n import Text, from_messages, messages_json
from core.models import REGISTRY
from core.models.keras_training import load_network, save_network
from core.runs.owners import LOCAL, LOCAL_VIEWER, Viewer
from core.runs.store import data_dir

TABLES = ("metrics", "forecasts", "skipped", "summary")
_ID = re.compile(r"^[0-9a-f]{12}$")


def batches_dir(root: Path | None = None) -> Path:
    return Path(root or data_dir()) / "batches"


def save_batch(result: BatchResult, root: Path | None = None, owner: str = LOCAL) -> str:
    batch_id = uuid.uuid4().hex[:12]
    base = batches_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{batch_id}.partial"
    tmp.mkdir()
    for name in TABLES:
        frame = getattr(result, name)
        frame.columns = [str(c) for c in frame.columns]
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    history = pd.concat({sid: y.rename("y") for sid, y in result.history.items()}, names=["unique_id", "date"]).reset_index()
    history.to_parquet(tmp / "history.parquet", index=False)
    networks = {}
    for key, model in result.models.items():  # the trained panel networks, so a reopened batch can still be looked inside
        network = model.network() if hasattr(model, "state") else None  # built once: a global LSTM's groups make one model
        if network is not None:
            save_network(network, tmp / f"{key}.keras")
            networks[key] = model.state()
    meta = {"seconds": result.seconds, "horizon": result.horizon, "season": result.season, "level": result.level, "networks": networks,
            "scheduler": result.scheduler, "notes": result.notes, "order": list(result.history), "score_season": result.score_season,
            "owner": owner, "messages": {  # the catalogue messages of its sentences: a reopened batch reads in the reader's language
                "notes": messages_json(result.notes), "skipped": messages_json(result.skipped.get("reason", [])),
                "errors": messages_json(result.metrics.get("error", []))}}
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, base / batch_id)
    return batch_id


def load_batch(batch_id: str, root: Path | None = None, viewer: Viewer = LOCAL_VIEWER) -> BatchResult:
    folder = batches_dir(root) / str(batch_id)
    missing = DataError(Text("There is no saved batch '{batch_id}' of yours. Run the batch again.", batch_id=str(batch_id)[:40]))
    if not _ID.match(str(batch_id)) or not (folder / "meta.json").exists():
        raise missing
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(Text("The saved batch {batch_id} could not be read ({name}). Run the batch again.", batch_id=batch_id, name=type(error).__name__)) from None
    if not viewer.may_see(meta.get("owner", LOCAL)):  # another user's batch reads as no batch at all
        raise missing
    try:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
        long = pd.read_parquet(folder / "history.parquet")
    except (OSError, ValueError) as error:
        raise DataError(Text("The saved batch {batch_id} could not be read ({name}). Run the batch again.", batch_id=batch_id, name=type(error).__name__)) from None
    history = {}
    for sid in meta["order"]:
        part = long[long["unique_id"] == sid]
        index = pd.DatetimeIndex(part["date"])
        history[sid] = pd.Series(part["y"].to_numpy(), index=pd.DatetimeIndex(index, freq="infer"), name=sid)
    models = {}
    for key, state in meta.get("networks", {}).items():
        path = folder / f"{key}.keras"
        if key in REGISTRY and path.exists():
            train = {sid: y.iloc[:-meta["horizon"]] for sid, y in history.items()}
            try:
                models[key] = REGISTRY[key].load().restore(state, load_network(path), train)
            except (DataError, KeyError, TypeError, ValueError):  # the scores stand; only looking inside needs it
                continue
    for name, column, kept in (("skipped", "reason", "skipped"), ("metrics", "error", "errors")):
        if column in tables[name]:
            tables[name] = tables[name].assign(**{column: from_messages(list(tables[name][column]), meta.get("messages", {}).get(kept))})
    return BatchResult(history=history, seconds=meta["seconds"], horizon=meta["horizon"], season=meta["season"], models=models,
                       level=meta["level"], scheduler=meta["scheduler"], notes=from_messages(meta["notes"], meta.get("messages", {}).get("notes")),
                       score_season=meta.get("score_season"), **tables)


def delete_batch(batch_id: str, root: Path | None = None, viewer: Viewer = LOCAL_VIEWER) -> None:
    if _ID.match(str(batch_id)):
        meta = batches_dir(root) / batch_id / "meta.json"
        if meta.exists() and not viewer.may_delete(json.loads(meta.read_text(encoding="utf-8")).get("owner", LOCAL)):
            raise DataError(Text("There is no saved batch '{batch_id}' of yours to delete.", batch_id=batch_id))
        shutil.rmtree(batches_dir(root) / batch_id, ignore_errors=True)
