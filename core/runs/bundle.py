"""One zip per run (configuration, cleaned data, results, LSTM weights) that the app re-imports exactly.

Only the member names below are read from an uploaded zip; nothing in it is executed and
no name inside it becomes a path on disk.
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from core.errors import DataError
from core.runs.records import TrainingRun

FORMAT = "lstm-lens-bundle/1"
MANIFEST, DATA, MODEL = "bundle.json", "cleaned_data.csv", "lstm.keras"


def export_bundle(run: TrainingRun) -> bytes:
    from core.runs.store import _jsonable, result_to_json, run_payload

    payload = {"format": FORMAT, "run": run_payload(run),
               "results": {k: result_to_json(r) for k, r in run.evaluation.results.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(_jsonable(payload), indent=1))
        clean = run.dataset.clean
        frame = clean.y.to_frame()
        if clean.covariates is not None:
            frame = frame.join(clean.covariates)
        archive.writestr(DATA, frame.to_csv(index_label="date"))
        lstm = run.evaluation.results.get("lstm")
        if lstm is not None and lstm.error is None and lstm.model is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "model.keras"
                lstm.model.model_.save(path)
                archive.write(path, MODEL)
    return buffer.getvalue()


def import_bundle(data: bytes) -> TrainingRun:
    from core.models.lstm import load_keras
    from core.runs.store import rebuild

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise DataError("This zip is not an LSTM Lens run bundle (bundle.json is missing).")
        manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError):
        raise DataError("This file is not a readable LSTM Lens run bundle (a damaged zip or manifest). Export the run again.") from None
    if manifest.get("format") != FORMAT:
        raise DataError(f"This bundle has format '{manifest.get('format')}', this app reads '{FORMAT}'.")
    models = {}
    if MODEL in names:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.keras"
            path.write_bytes(archive.read(MODEL))
            models["lstm"] = load_keras(path)
    try:
        return rebuild(manifest["run"], manifest["results"], models, run_id=None, created=None)
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"This bundle is incomplete or damaged ({type(error).__name__}: {error}). Export the run again.") from None
