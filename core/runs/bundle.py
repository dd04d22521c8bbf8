"""One zip per run (configuration, cleaned data, results, the networks) that the app re-imports exactly.

Only the member names below are read from an uploaded zip; nothing in it is executed and
no name inside it becomes a path on disk.
"""
from __future__ import annotations

import io
import json
import zipfile

from core.errors import DataError
from core.i18n import Text
from core.models.keras_training import MAX_NETWORK_BYTES
from core.models import REGISTRY
from core.runs.codec import rebuild, result_to_json, run_payload
from core.runs.manifest_schema import check_manifest
from core.runs.records import TrainingRun

FORMAT = "lstm-lens-bundle/1"
MANIFEST, DATA = "bundle.json", "cleaned_data.csv"
MAX_MANIFEST_BYTES = 64 * 2 ** 20   # unpacked; a long series' run is a few MB


def network_member(key: str) -> str:
    """The zip member holding a model's network; the LSTM's keeps the name bundles have always used."""
    return f"{key}.keras"


def export_bundle(run: TrainingRun) -> bytes:
    from core.models.keras_training import network_bytes

    payload = {"format": FORMAT, "run": run_payload(run),
               "results": {k: result_to_json(r) for k, r in run.evaluation.results.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(payload, indent=1))
        clean = run.dataset.clean
        frame = clean.y.to_frame()
        if clean.covariates is not None:
            frame = frame.join(clean.covariates)
        archive.writestr(DATA, frame.to_csv(index_label="date"))
        for key, result in run.evaluation.ok().items():
            if result.model is not None and result.model.network() is not None:
                archive.writestr(network_member(key), network_bytes(result.model.network()))
    return buffer.getvalue()


def import_bundle(data: bytes) -> TrainingRun:
    from core.models.keras_training import load_network_bytes

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise DataError(Text("This zip is not an LSTM Lens run bundle (bundle.json is missing)."))
        sizes = {item.filename: item.file_size for item in archive.infolist()}
        if sizes[MANIFEST] > MAX_MANIFEST_BYTES or any(size > MAX_NETWORK_BYTES for name, size in sizes.items() if name.endswith(".keras")):
            raise DataError(Text("This bundle unpacks to more than this app reads ({MAX_MANIFEST_BYTES} MB of run data, "
                                 "{MAX_NETWORK_BYTES} MB a network). Export the run again.", MAX_MANIFEST_BYTES=MAX_MANIFEST_BYTES // 2 ** 20, MAX_NETWORK_BYTES=MAX_NETWORK_BYTES // 2 ** 20))
        manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise DataError(Text("This file is not a readable LSTM Lens run bundle (a damaged zip or manifest). Export the run "
                             "again.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else type(manifest).__name__
        raise DataError(Text("This bundle has format '{found}', this app reads '{FORMAT}'.", found=str(found)[:40], FORMAT=FORMAT))
    check_manifest(manifest)
    unknown = [key for key in manifest["results"] if key not in REGISTRY]
    if unknown:
        raise DataError(Text("This bundle holds results of models this app does not know ({join}). Export the run again with "
                             "this version of LSTM Lens.", join=', '.join(k[:40] for k in unknown[:5])))
    try:
        networks = {key: load_network_bytes(archive.read(network_member(key)))
                    for key in manifest["results"] if network_member(key) in names}
        return rebuild(manifest["run"], manifest["results"], networks, run_id=None, created=None)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(Text("This bundle is incomplete or damaged ({name}: {error}). Export the run again.", name=type(error).__name__, error=str(error)[:120])) from None
