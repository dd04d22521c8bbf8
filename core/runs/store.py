"""Run history: every finished training run in SQLite (WAL) plus its LSTM as a .keras file.

The data directory is $LSTM_LENS_HOME, or ~/.lstm-lens, created on first use. A run is
written as 'running' when training starts and completed in one transaction when it
finishes, so a crash leaves it marked, never half-written. File names on disk come from
run ids only, never from anything a user typed.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from core.errors import DataError
from core.i18n import Text
from core.runs.codec import num, rebuild, result_to_json, run_payload
from core.runs.owners import LOCAL, LOCAL_VIEWER, Viewer
from core.runs.records import TrainingRun

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, created REAL NOT NULL, finished REAL, status TEXT NOT NULL, pid INTEGER, process TEXT,
    dataset_name TEXT NOT NULL, dataset_hash TEXT NOT NULL, models TEXT NOT NULL, best_model TEXT, best_mase REAL,
    device TEXT, seconds REAL, message TEXT, payload TEXT, owner TEXT NOT NULL DEFAULT 'local'
);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model_key TEXT NOT NULL, payload TEXT NOT NULL,
    model_file TEXT, PRIMARY KEY (run_id, model_key)
);
"""

# Each step takes a history from version n - 1 to n; a new history is created at SCHEMA_VERSION directly.
MIGRATIONS = {
    2: ["ALTER TABLE runs ADD COLUMN process TEXT"],  # which process (not only which pid) is training a run
    3: ["ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT 'local'"],  # earlier runs: the local owner
}


def data_dir() -> Path:
    return Path(os.environ.get("LSTM_LENS_HOME") or Path.home() / ".lstm-lens")


def process_identity(pid: int) -> str | None:
    """What tells a process from a later one given the same pid: its start time. None when the system does not say."""
    import psutil

    try:
        return f"{psutil.Process(pid).create_time():.3f}"
    except (psutil.Error, OSError):
        return None


def _still_running(pid: int | None, process: str | None) -> bool:
    """Whether the process that started a run is still the one alive under its pid."""
    if pid is None or pd.isna(pid) or not pid:
        return False
    pid = int(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return process is None or process_identity(pid) in (process, None)


class DamagedHistory(DataError):
    """runs.sqlite cannot be read as a run history; set_aside_history is the way out."""


def set_aside_history(root: Path | str | None = None) -> Path:
    """Rename a damaged runs.sqlite (with its WAL files) beside itself, kept for repair, so a new history can start.

    Returns the new name. The saved model files stay where they are."""
    root = Path(root) if root else data_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = root / f"runs.damaged-{stamp}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path = root / f"runs.sqlite{suffix}"
        if path.exists():
            path.rename(root / f"{kept.name}{suffix}")
    return kept


# ------------------------------------------------------------------ the store
class RunStore:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else data_dir()
        self.models = self.root / "models"
        self.models.mkdir(parents=True, exist_ok=True)
        self.path = self.root / "runs.sqlite"
        self._sweep_partial_files()
        self._enable_wal()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # several processes may open a new or old store at once: one creates or migrates
            try:
                fresh = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'runs'").fetchone() is None
                for statement in filter(str.strip, SCHEMA.split(";")):
                    db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION if fresh else 1),))
                self._migrate(db, db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _migrate(self, db, found: str) -> None:
        if not str(found).isdigit():
            raise DamagedHistory(f"The run history in {self.root} has an unreadable schema version ({str(found)[:20]!r}); "
                                 "it was not written by LSTM Lens. Set it aside (the Runs page has a button; it is renamed "
                                 "and kept) to start a new history.")
        if int(found) > SCHEMA_VERSION:
            raise DataError(Text("The run history in {root} was written by a newer LSTM Lens (schema {found}); update the app.", root=self.root, found=found))
        for version in range(int(found) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))

    def _sweep_partial_files(self, older_than: float = 3600.0) -> None:
        """Model files a killed save left half-written (never renamed into place) are removed after an hour."""
        for path in self.models.glob(".*.partial.keras"):
            try:
                if time.time() - path.stat().st_mtime > older_than:
                    path.unlink()
            except OSError:
                pass

    def _damaged(self, error: sqlite3.DatabaseError) -> DataError:
        return DamagedHistory(f"The run history in {self.root} is damaged and cannot be read ({str(error)[:80]}). "
                         "Set it aside (the Runs page has a button; it is renamed and kept for repair) and LSTM Lens "
                         "starts a new history; nothing else is lost.")

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
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise self._damaged(error) from None
                time.sleep(0.05 * (1 + attempt % 5))
            except sqlite3.DatabaseError as error:  # not a database at all, or a damaged one
                raise self._damaged(error) from None
            finally:
                db.close()
        raise DataError(Text("The run history in {root} stayed locked by another process; try again in a moment.", root=self.root))

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)):
                raise
            raise self._damaged(error) from None
        finally:
            db.close()

    def start(self, dataset_name: str, dataset_hash: str, models: list[str], owner: str = LOCAL) -> str:
        run_id = uuid.uuid4().hex[:12]
        with self._connect() as db:
            db.execute("INSERT INTO runs (id, created, status, pid, process, dataset_name, dataset_hash, models, owner) "
                       "VALUES (?,?,?,?,?,?,?,?,?)",
                       (run_id, time.time(), "running", os.getpid(), process_identity(os.getpid()), dataset_name, dataset_hash,
                        ",".join(models), owner))
        return run_id

    def finish(self, run_id: str, run: TrainingRun, seconds: float) -> None:
        """Write every result and model file, then mark the run finished, in one transaction."""
        from core.models.keras_training import save_network

        files: dict[str, str] = {}
        for key, result in run.evaluation.ok().items():
            if result.model is not None and result.model.network() is not None:
                files[key] = f"{run_id}-{key}.keras"
                save_network(result.model.network(), self.models / files[key])
        board = run.evaluation.leaderboard()
        best = board.iloc[0] if len(board) and board.iloc[0]["status"] == "ok" else None
        looked_inside = run.evaluation.inspectable()
        device = looked_inside.model.training_.device if looked_inside is not None else "cpu"
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for key, result in run.evaluation.results.items():
                    db.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?)",
                               (run_id, key, json.dumps(result_to_json(result)), files.get(key)))
                db.execute("UPDATE runs SET status='finished', finished=?, best_model=?, best_mase=?, device=?, seconds=?, payload=? WHERE id=?",
                           (time.time(), None if best is None else best["model"], None if best is None else num(best["MASE"]),
                            device, seconds, json.dumps(run_payload(run)), run_id))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        run.run_id = run_id

    def fail(self, run_id: str, message: str, status: str = "failed") -> None:
        """Mark a run that ended without a result: "failed", or "stopped" by its reader."""
        if status not in ("failed", "stopped"):
            raise ValueError(f"A run ends failed or stopped, not {status!r}.")
        with self._connect() as db:
            db.execute("UPDATE runs SET status=?, finished=?, message=? WHERE id=?", (status, time.time(), message[:2000], run_id))

    def list(self, viewer: Viewer = LOCAL_VIEWER) -> pd.DataFrame:
        """The runs ``viewer`` may see (their own; every run for an administrator), newest first."""
        query = ("SELECT id, created, finished, status, pid, process, dataset_name, models, best_model, best_mase, device, seconds, "
                 "message, owner FROM runs")
        with self._connect() as db:
            rows = (db.execute(query + " ORDER BY created DESC") if viewer.admin else
                    db.execute(query + " WHERE owner=? ORDER BY created DESC", (viewer.owner,))).fetchall()
        frame = pd.DataFrame(rows, columns=["id", "created", "finished", "status", "pid", "process", "dataset", "models", "best model",
                                            "best MASE", "device", "seconds", "message", "owner"])
        if frame.empty:
            return frame
        alive = [_still_running(pid, process) for pid, process in zip(frame["pid"], frame["process"])]
        stale = (frame["status"] == "running") & ~pd.Series(alive, index=frame.index, dtype=bool)
        frame.loc[stale, "status"] = "interrupted"
        frame["created"] = pd.to_datetime(frame["created"], unit="s").dt.strftime("%Y-%m-%d %H:%M:%S")
        return frame.drop(columns=["pid", "process", "finished"])

    def owner(self, run_id: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT owner FROM runs WHERE id=?", (run_id,)).fetchone()
        return None if row is None else row[0]

    def load(self, run_id: str, viewer: Viewer = LOCAL_VIEWER) -> TrainingRun:
        from core.models.keras_training import load_network

        with self._connect() as db:
            row = db.execute("SELECT status, payload, created, owner FROM runs WHERE id=?", (run_id,)).fetchone()
            if row is None or not viewer.may_see(row[3]):  # another user's run reads as no run at all
                raise DataError(Text("There is no run '{run_id}' in your history.", run_id=str(run_id)[:40]))
            if row[0] != "finished":
                raise DataError(Text("Run {run_id} did not finish ({row}); only finished runs can be reopened.", run_id=run_id, row=row[0]))
            results = {key: (json.loads(payload), file) for key, payload, file in
                       db.execute("SELECT model_key, payload, model_file FROM results WHERE run_id=?", (run_id,))}
        networks, missing = {}, []
        for key, (_, file) in results.items():
            if file and (self.models / Path(file).name).exists():
                networks[key] = load_network(self.models / Path(file).name)
            elif file:
                missing.append(key)
        run = rebuild(json.loads(row[1]), {k: v[0] for k, v in results.items()}, networks, run_id, row[2])
        for key in missing:  # its scores and forecasts stand; only looking inside needs the file
            run.evaluation.results[key].notes = (f"Its network file ({key}) is missing from {self.models}, so it cannot be "
                                                 "looked inside or forecast again; its scores and forecasts are as saved.")
        return run

    def exists(self, run_id: str, viewer: Viewer = LOCAL_VIEWER) -> bool:
        """Whether the run exists and ``viewer`` may see it."""
        return viewer.may_see(self.owner(run_id))

    def delete(self, run_id: str, viewer: Viewer = LOCAL_VIEWER) -> None:
        if not viewer.may_delete(self.owner(run_id)):
            raise DataError(Text("There is no run '{run_id}' in your history to delete.", run_id=str(run_id)[:40]))
        with self._connect() as db:
            files = [r[0] for r in db.execute("SELECT model_file FROM results WHERE run_id=? AND model_file IS NOT NULL", (run_id,))]
            db.execute("DELETE FROM results WHERE run_id=?", (run_id,))
            db.execute("DELETE FROM runs WHERE id=?", (run_id,))
        for name in files:
            (self.models / Path(name).name).unlink(missing_ok=True)

    def integrity_ok(self) -> bool:
        with self._connect() as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def reassign(self, from_owner: str, to_owner: str, viewer: Viewer) -> int:
        """Hand every run of one owner to another (an administrator's move, e.g. the pre-sign-in runs to a user)."""
        if not viewer.admin:
            raise DataError(Text("Only an administrator can hand runs to another user."))
        if not str(to_owner).strip():
            raise DataError(Text("Name the user to hand the runs to: their issuer and subject, as the Runs page lists owners."))
        with self._connect() as db:
            return db.execute("UPDATE runs SET owner=? WHERE owner=?", (str(to_owner).strip(), from_owner)).rowcount
