"""Training and batches in a thread of their own (ui.jobs): the same run as in the page's own thread, Stop ends one
(and the history marks a stopped training), and whichever page the reader is on says how far it is and takes its
result when it ends."""
import time

from streamlit.testing.v1 import AppTest

from core.batch.panel import run_batch
from core.evaluation.holdout import ModelSpec
from core.runs.store import RunStore
from core.training import RunSettings, sample_dataset, train_run
from tests.conftest import ROOT
from tests.test_batch import long_frame
from ui.batch_job import BatchJob
from ui.jobs import Stopped
from ui.state import BATCH, BATCH_ID, BATCH_JOB, JOB, RESULTS, TRAIN_PRESSED
from ui.training_job import TrainingJob

QUICK_LSTM = {"epochs": 3, "units": 4, "members": 1}
SETTINGS = RunSettings(test_size=12, horizon=12, season=12)


def specs(lstm=QUICK_LSTM):
    return [ModelSpec("naive"), ModelSpec("snaive"), ModelSpec("lstm", dict(lstm))]


def finished(job, timeout: float = 300) -> TrainingJob:
    assert job.finished.wait(timeout), "the training thread did not end"
    return job


def test_a_job_trains_the_run_the_page_thread_trained(tmp_path):
    dataset = sample_dataset("airline")
    job = TrainingJob(specs()).start(dataset, SETTINGS, store=RunStore(tmp_path), owner="local")
    assert job.running or job.finished.is_set()
    finished(job)
    assert job.error is None and not job.running
    direct = train_run(dataset, specs(), SETTINGS)
    ours, theirs = job.run.evaluation.results, direct.evaluation.results
    assert list(ours) == ["naive", "snaive", "lstm"]
    for key in ours:  # the same seed and settings: the same forecasts, thread or not
        assert ours[key].metrics["MASE"] == theirs[key].metrics["MASE"], key
    assert job.counts() == (3, 3)
    assert all(fraction == 1.0 for fraction, _ in job.progress.values())
    assert len(job.loss.losses["loss"]) == job.run.evaluation.results["lstm"].model.training_.epochs_run
    assert RunStore(tmp_path).list()["status"].tolist() == ["finished"]


def test_stop_ends_the_training_and_the_history_marks_it(tmp_path):
    job = TrainingJob(specs({**QUICK_LSTM, "epochs": 5000, "patience": 5000})).start(
        sample_dataset("airline"), SETTINGS, store=RunStore(tmp_path), owner="local")
    deadline = time.monotonic() + 300
    while job.loss.epochs < 2 and time.monotonic() < deadline:  # the LSTM is training
        time.sleep(0.05)
    assert job.running
    job.stop.set()
    finished(job, 60)
    assert job.stopped and isinstance(job.error, Stopped) and job.run is None
    assert job.counts() == (2, 3)  # the two naive models were scored before it
    runs = RunStore(tmp_path).list()
    assert runs["status"].tolist() == ["stopped"]  # not "failed": the reader ended it


def test_other_pages_show_a_running_job_and_take_its_run_when_it_ends():
    job = TrainingJob(specs({**QUICK_LSTM, "epochs": 5000, "patience": 5000})).start(sample_dataset("airline"), SETTINGS, owner="local")
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state[JOB] = job
        at.switch_page("pages/compare.py").run()
        assert not at.exception
        assert any("Training:" in info.value and "models scored" in info.value for info in at.sidebar.info)
        assert "Nothing trained yet" in " ".join(i.value for i in at.main.info)  # no run yet: the page says so
    finally:
        job.stop.set()
        finished(job, 60)

    done = finished(TrainingJob(specs()).start(sample_dataset("airline"), SETTINGS, owner="local"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[JOB] = done
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.session_state[RESULTS] is done.run and JOB not in at.session_state
    assert not at.sidebar.info
    assert "Leaderboard" in [h.value for h in at.subheader]


def test_the_train_page_says_a_stopped_job_stopped_and_forgets_it():
    job = TrainingJob(specs({**QUICK_LSTM, "epochs": 5000, "patience": 5000})).start(sample_dataset("airline"), SETTINGS, owner="local")
    job.stop.set()
    finished(job, 120)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[JOB] = job
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert any("Training stopped" in w.value for w in at.warning)
    assert JOB not in at.session_state
    assert not at.button[0].disabled  # Train models may be pressed again


def test_a_train_click_cut_short_by_another_page_starts_nothing_later():
    """Train's click is a flag its callback sets before the page runs; when the reader opens another page before the
    Train page read it, the flag must not start a training the next time the Train page opens."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state[TRAIN_PRESSED] = True  # the callback ran; the Train page's run did not get to it
    at.switch_page("pages/compare.py").run()
    assert TRAIN_PRESSED not in at.session_state
    at.switch_page("pages/train.py").run()
    assert not at.exception and JOB not in at.session_state and not at.button[0].disabled


def start_batch(specs, owner="local"):
    frame = long_frame()
    ids = sorted(frame["unique_id"].astype(str).unique())
    return BatchJob(ids).start(frame, specs, 7, 7, columns=("unique_id", "ds", "y"), scheduler="serial", client=None,
                               score_season=None, owner=owner)


def test_a_batch_job_runs_saves_and_hands_its_result_to_the_batch_page(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    job = finished(start_batch([ModelSpec("snaive"), ModelSpec("regression")]))
    assert job.error is None and job.fraction == 1.0
    direct = run_batch(long_frame(), [ModelSpec("snaive"), ModelSpec("regression")], horizon=7, season=7)
    scores = ["model", "series", "sMAPE", "MASE", "OWA"]
    assert job.result.summary[scores].equals(direct.summary[scores])  # the same batch as in the page's own thread
    assert {status for status, _ in job.statuses.values()} <= {"done", "skipped"}
    assert job.batch_id and (tmp_path / "batches").exists()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[BATCH_JOB] = job
    at.switch_page("pages/batch.py").run()
    assert not at.exception
    assert at.session_state[BATCH] is job.result and at.session_state[BATCH_ID] == job.batch_id
    assert BATCH_JOB not in at.session_state


def test_a_running_batch_is_shown_on_other_pages_and_stop_ends_it():
    job = start_batch([ModelSpec("snaive"), ModelSpec("global_lstm", {"epochs": 5000, "patience": 5000})])
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state[BATCH_JOB] = job
        at.switch_page("pages/train.py").run()
        assert not at.exception
        assert any(info.value.startswith("Batch:") and "% done" in info.value for info in at.sidebar.info)
    finally:
        job.stop.set()
        finished(job, 120)
    assert job.stopped and job.result is None and job.batch_id is None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[BATCH_JOB] = job
    at.switch_page("pages/batch.py").run()
    assert not at.exception
    assert any("Batch stopped" in w.value for w in at.warning) and BATCH_JOB not in at.session_state
