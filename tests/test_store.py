"""Run history and bundles: what was saved comes back identical, in a fresh connection, without retraining."""
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.runs.bundle import export_bundle, import_bundle
from core.data import detect_columns, read_table, to_series
from core.errors import DataError
from core.evaluation.holdout import ModelSpec, holdout
from core.models.keras_training import load_network
from core.runs.records import Dataset, TrainingRun
from core.data.samples import get_sample
from core.runs.store import RunStore
from tests.conftest import AWKWARD


@pytest.fixture(scope="module")
def run():
    sample = get_sample("macro")
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    clean = to_series(frame, date=guess.date, target=guess.target, covariates=["inflation", "unemployment_rate"])
    specs = [ModelSpec("snaive"), ModelSpec("arima"), ModelSpec("lstm", {"epochs": 3, "units": 6})]
    evaluation = holdout(clean.y, specs, 8, season=4, covariates=clean.covariates)
    dataset = Dataset("us_macro_quarterly.csv", "abc123", clean, {"date": guess.date})
    return TrainingRun(dataset=dataset, specs=specs, evaluation=evaluation, test_size=8, horizon=8, season=4, level=0.9)


def assert_same(a: TrainingRun, b: TrainingRun):
    for key, ra in a.evaluation.results.items():
        rb = b.evaluation.results[key]
        assert ra.error == rb.error
        np.testing.assert_allclose(ra.forecast.mean, rb.forecast.mean)
        np.testing.assert_allclose(ra.forecast.upper, rb.forecast.upper)
        assert list(ra.forecast.index) == list(rb.forecast.index)
        assert ra.metrics["MASE"] == pytest.approx(rb.metrics["MASE"])
    # the reloaded LSTM forecasts exactly as before
    np.testing.assert_allclose(a.evaluation.results["lstm"].model.predict(8).mean, b.evaluation.results["lstm"].model.predict(8).mean, rtol=1e-6)
    pd.testing.assert_series_equal(a.dataset.clean.y, b.dataset.clean.y)
    pd.testing.assert_frame_equal(a.dataset.clean.covariates, b.dataset.clean.covariates)


def test_store_round_trip(tmp_path, run):
    store = RunStore(tmp_path)
    run_id = store.start(run.dataset.name, run.dataset.digest, [s.key for s in run.specs])
    store.finish(run_id, run, seconds=1.5)
    fresh = RunStore(tmp_path)  # as after a server restart
    listed = fresh.list()
    assert listed.loc[0, "status"] == "finished" and listed.loc[0, "dataset"] == "us_macro_quarterly.csv"
    assert_same(run, fresh.load(run_id))
    assert fresh.integrity_ok()
    fresh.delete(run_id)
    assert fresh.list().empty and not list((tmp_path / "models").glob("*.keras"))


def test_interrupted_run_is_marked(tmp_path):
    import sqlite3

    store = RunStore(tmp_path)
    run_id = store.start("x.csv", "h", ["lstm"])
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        db.execute("UPDATE runs SET pid=? WHERE id=?", (2**22 + 12345, run_id))  # a process that no longer exists
    assert store.list().loc[0, "status"] == "interrupted"
    with pytest.raises(DataError, match="did not finish"):
        store.load(run_id)


def test_bundle_round_trip(run):
    data = export_bundle(run)
    assert {"bundle.json", "cleaned_data.csv", "lstm.keras"} <= set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert_same(run, import_bundle(data))
    with pytest.raises(DataError, match="not a readable LSTM Lens run bundle"):
        import_bundle(b"PK\x03\x04 broken")


def test_lambda_model_is_refused(tmp_path):
    import keras

    inputs = keras.Input(shape=(4, 2))
    x = keras.layers.Lambda(lambda t: t * 2)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(3)(x)))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(DataError, match="contains code \\(a Lambda layer\\) and was refused"):
        load_network(path)


def test_corrupt_model_file_says_so():
    with pytest.raises(DataError, match="not a readable .keras model"):
        load_network(AWKWARD / "corrupt_model.keras")


def test_two_sessions_saving_at_once(tmp_path, run):
    """Two sessions finish runs into one store at the same time: every run is saved whole."""
    from concurrent.futures import ThreadPoolExecutor

    light = TrainingRun(dataset=run.dataset, specs=run.specs[:2], evaluation=type(run.evaluation)(
        train=run.evaluation.train, actual=run.evaluation.actual, season=4, level=0.9,
        results={k: v for k, v in run.evaluation.results.items() if k != "lstm"}), test_size=8, horizon=8, season=4, level=0.9)

    def session(k):
        store = RunStore(tmp_path)  # each session opens its own connections
        ids = []
        for _ in range(6):
            run_id = store.start(f"session{k}.csv", "h", ["snaive", "arima"])
            store.finish(run_id, light, seconds=0.1)
            ids.append(run_id)
        return ids

    with ThreadPoolExecutor(2) as pool:
        ids = [i for batch in pool.map(session, [1, 2]) for i in batch]
    store = RunStore(tmp_path)
    listed = store.list()
    assert len(listed) == 12 and set(listed["status"]) == {"finished"}
    assert store.integrity_ok()
    for run_id in ids:
        reopened = store.load(run_id)
        np.testing.assert_allclose(reopened.evaluation.results["arima"].forecast.mean, run.evaluation.results["arima"].forecast.mean)


def test_many_sessions_opening_a_new_store_at_once(tmp_path):
    """Found by a stress run: concurrent first opens raced on WAL and on the schema version."""
    import threading

    for trial in range(15):
        root = tmp_path / str(trial)
        barrier = threading.Barrier(6)
        errors = []

        def session():
            try:
                barrier.wait()
                store = RunStore(root)
                for _ in range(3):
                    store.fail(store.start("x.csv", "h", ["naive"]), "test")
            except Exception as error:  # any error here is the bug
                errors.append(repr(error))

        threads = [threading.Thread(target=session) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert len(RunStore(root).list()) == 18


SAVED = Path(__file__).parent / "data" / "saved_run_v1"


def assert_reopened_as_saved(run: TrainingRun):
    """A run saved before the redesign: scores, forecasts and the LSTM itself come back, with no retraining."""
    results = run.evaluation.results
    assert set(results) == {"naive", "snaive", "regression", "lstm"}
    assert {k: round(r.metrics["MASE"], 3) for k, r in results.items()} == {"naive": 2.496, "snaive": 1.571, "regression": 0.480, "lstm": 2.253}
    lstm = results["lstm"]
    # the restored network forecasts what it forecast when the run was saved (log scale -> back)
    np.testing.assert_allclose(np.exp(lstm.model.predict(12).mean), lstm.forecast.mean, rtol=1e-5)
    assert run.evaluation.inspectable() is lstm and lstm.model.training_.epochs_run == 5
    assert run.evaluation.log and len(run.evaluation.actual) == 12 and run.dataset.clean.y.index.freqstr == "MS"


def test_a_run_saved_by_the_previous_version_reopens(tmp_path):
    shutil.copytree(SAVED / "store", tmp_path / "store")
    store = RunStore(tmp_path / "store")
    assert store.list().loc[0, "id"] == "23ea95d8cff1"
    assert_reopened_as_saved(store.load("23ea95d8cff1"))


def test_a_bundle_exported_by_the_previous_version_imports():
    assert_reopened_as_saved(import_bundle((SAVED / "bundle.zip").read_bytes()))


def test_a_damaged_history_says_so_instead_of_failing(tmp_path):
    (tmp_path / "runs.sqlite").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DataError, match="is damaged and cannot be read.*Set it aside"):
        RunStore(tmp_path)


def test_a_truncated_history_says_so(tmp_path, run):
    store = RunStore(tmp_path / "ok")
    run_id = store.start(run.dataset.name, run.dataset.digest, [s.key for s in run.specs])
    store.finish(run_id, run, seconds=1.0)
    data = (tmp_path / "ok" / "runs.sqlite").read_bytes()
    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / "runs.sqlite").write_bytes(data[: len(data) // 3])
    with pytest.raises(DataError, match="is damaged"):
        fresh = RunStore(tmp_path / "cut")
        fresh.list()
        fresh.load(run_id)


@pytest.mark.parametrize("manifest", [b"[1, 2, 3]", b"[" * 100_000 + b"]" * 100_000, b'{"format": {"x": 1}}'])
def test_odd_manifests_get_a_sentence(manifest):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bundle.json", manifest)
    with pytest.raises(DataError, match="bundle"):
        import_bundle(buffer.getvalue())


def keras_file_claiming(tmp_path, units: int) -> Path:
    """A real small .keras file whose description is edited to claim an LSTM of ``units`` units."""
    source = SAVED / "store" / "models" / "23ea95d8cff1-lstm.keras"
    target = tmp_path / "claims.keras"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as edited:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "config.json":
                data = data.replace(b'"units": 8', f'"units": {units}'.encode())
            edited.writestr(item, data)
    return target


def test_a_model_file_claiming_a_huge_network_is_refused_before_it_is_built(tmp_path):
    with pytest.raises(DataError, match="a layer of 20,000 units"):
        load_network(keras_file_claiming(tmp_path, 20_000))
    assert load_network(keras_file_claiming(tmp_path, 8)) is not None  # the same file as it was loads


def test_a_bundle_that_unpacks_too_large_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.json", b" " * (65 * 2 ** 20))  # 65 MB of spaces, a few KB packed
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(DataError, match="unpacks to more than this app reads"):
        import_bundle(buffer.getvalue())


def test_a_run_whose_network_file_is_gone_reopens_with_its_scores(tmp_path):
    shutil.copytree(SAVED / "store", tmp_path / "store")
    (tmp_path / "store" / "models" / "23ea95d8cff1-lstm.keras").unlink()
    run = RunStore(tmp_path / "store").load("23ea95d8cff1")
    lstm = run.evaluation.results["lstm"]
    assert round(lstm.metrics["MASE"], 3) == 2.253 and lstm.forecast is not None
    assert lstm.model is None and run.evaluation.inspectable() is None
    assert "network file (lstm) is missing" in lstm.notes


def test_half_written_model_files_are_swept(tmp_path):
    import os
    import time

    store = RunStore(tmp_path)
    old, fresh = store.models / ".abc-lstm.keras.partial.keras", store.models / ".def-lstm.keras.partial.keras"
    for path in (old, fresh):
        path.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    RunStore(tmp_path)
    assert not old.exists() and fresh.exists()  # a save still in progress elsewhere is left alone


def test_an_unreadable_schema_version_gets_a_sentence(tmp_path):
    import sqlite3

    RunStore(tmp_path)
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        db.execute("UPDATE meta SET value = 'one' WHERE key = 'schema_version'")
    with pytest.raises(DataError, match="unreadable schema version \\('one'\\)"):
        RunStore(tmp_path)


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
    id TEXT PRIMARY KEY, created REAL NOT NULL, finished REAL, status TEXT NOT NULL, pid INTEGER,
    dataset_name TEXT NOT NULL, dataset_hash TEXT NOT NULL, models TEXT NOT NULL, best_model TEXT, best_mase REAL,
    device TEXT, seconds REAL, message TEXT, payload TEXT
);
CREATE TABLE results (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model_key TEXT NOT NULL, payload TEXT NOT NULL,
    model_file TEXT, PRIMARY KEY (run_id, model_key)
);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def columns_of(path, table="runs"):
    import sqlite3

    with sqlite3.connect(path) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_a_version_1_history_is_migrated_in_place_and_keeps_its_runs(tmp_path):
    import sqlite3

    from core.runs.store import SCHEMA_VERSION

    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        db.executescript(V1_SCHEMA)
        db.execute("INSERT INTO runs (id, created, status, pid, dataset_name, dataset_hash, models) VALUES "
                   "('old1', 1.0, 'failed', 1, 'airline.csv', 'abc', 'naive')")
    assert "process" not in columns_of(tmp_path / "runs.sqlite")
    store = RunStore(tmp_path)
    assert "process" in columns_of(tmp_path / "runs.sqlite")
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION) == "3"
    assert list(store.list()["id"]) == ["old1"]
    assert list(store.list()["owner"]) == ["local"]  # runs from before sign-in belong to the local owner
    started = store.start("new.csv", "def", ["naive"])  # a migrated history records new runs with their process
    assert store.list().set_index("id").loc[started, "status"] == "running"
    RunStore(tmp_path)  # opening again migrates nothing twice
    assert columns_of(tmp_path / "runs.sqlite").count("process") == 1
    assert columns_of(tmp_path / "runs.sqlite").count("owner") == 1


def test_the_saved_v1_store_is_migrated_when_opened(tmp_path):
    shutil.copytree(SAVED / "store", tmp_path / "store")
    RunStore(tmp_path / "store")
    assert "process" in columns_of(tmp_path / "store" / "runs.sqlite")


def test_a_run_whose_pid_was_reused_by_another_process_is_interrupted(tmp_path):
    import os
    import sqlite3

    from core.runs.store import process_identity

    store = RunStore(tmp_path)
    mine = store.start("a.csv", "a", ["naive"])
    reused = store.start("b.csv", "b", ["naive"])
    assert process_identity(os.getpid()) is not None  # Linux: the check below is the real one
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:  # same pid as this live process, but an earlier process' start
        db.execute("UPDATE runs SET process = 'another-boot:12345' WHERE id = ?", (reused,))
    status = store.list().set_index("id")["status"]
    assert status[mine] == "running" and status[reused] == "interrupted"


def bundle_with(edit) -> bytes:
    """The previous version's bundle with its manifest changed by ``edit(manifest)``."""
    with zipfile.ZipFile(SAVED / "bundle.zip") as original:
        manifest = json.loads(original.read("bundle.json"))
        edit(manifest)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as edited:
            for item in original.infolist():
                edited.writestr(item, json.dumps(manifest) if item.filename == "bundle.json" else original.read(item.filename))
    return buffer.getvalue()


@pytest.mark.parametrize("edit, field", [
    (lambda m: m["run"].update(horizon=1e12), "at run/horizon, 1000000000000.0 is greater than the maximum of 100000"),
    (lambda m: m["run"].update(level=5), "at run/level, 5 is greater than the maximum of 0.99"),
    (lambda m: m["run"].update(test_size="12; rm"), "at run/test_size, '12; rm' is not of type 'integer'"),
    (lambda m: m["run"].pop("season"), "at run, 'season' is a required property"),
    (lambda m: m["results"]["naive"].update(label="x" * 10_000), "at results/naive/label,"),
    (lambda m: m["results"].update({f"m{i}": m["results"]["naive"] for i in range(30)}), "at results,"),
    (lambda m: m["run"]["dataset"]["clean"]["y"].update(values="oops"), "at run/dataset/clean/y/values, 'oops' is not of type 'array'"),
    (lambda m: m["results"].update(evil=m["results"]["naive"]), "results of models this app does not know (evil)"),
])
def test_a_manifest_outside_its_schema_is_refused_with_the_field_named(edit, field):
    with pytest.raises(DataError) as info:
        import_bundle(bundle_with(edit))
    assert field in str(info.value)


def test_the_schema_accepts_what_the_app_writes(run):
    from core.runs.manifest_schema import check_manifest

    check_manifest(json.loads(zipfile.ZipFile(io.BytesIO(export_bundle(run))).read("bundle.json")))
    check_manifest(json.loads(zipfile.ZipFile(SAVED / "bundle.zip").read("bundle.json")))
