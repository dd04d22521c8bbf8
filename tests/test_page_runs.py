"""Runs page through AppTest: a trained run is listed, reopened after a 'restart', and deleted."""
import json

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_runs_page_lists_and_reopens(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception
    assert "No runs yet" in at.info[0].value
    at.switch_page("pages/train.py").run()
    at.multiselect[0].set_value(["naive", "snaive", "regression"])
    at.button[0].click().run()
    assert not at.exception
    run_id = at.session_state["results"].run_id
    assert run_id and (tmp_path / "runs.sqlite").exists()

    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)  # a new browser session
    fresh.run()
    fresh.switch_page("pages/runs.py").run()
    assert not fresh.exception
    table = fresh.dataframe[0].value
    assert list(table["id"]) == [run_id] and table.loc[0, "status"] == "finished"
    assert "owner" not in table.columns  # one local user: no owners to show
    assert "message" not in table.columns  # finished runs have no message: no empty column ("None" in each cell)
    widths = {name: spec.get("width") for name, spec in json.loads(fresh.dataframe[0].proto.columns).items()}
    assert widths["models"] == "medium"  # the model list no longer pushes the last columns behind a scroll
    assert any("Sign-in is not configured: this is a single-user local tool" in c.value for c in fresh.caption)
    fresh.button[0].click().run()  # Reopen
    assert not fresh.exception
    assert fresh.session_state["results"].run_id == run_id
    fresh.switch_page("pages/compare.py").run()
    assert not fresh.exception and len(fresh.get("plotly_chart")) >= 3


def test_a_damaged_history_is_explained_on_the_runs_page_and_for_a_run_url(tmp_path, monkeypatch):
    from tests.conftest import shown

    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    (tmp_path / "runs.sqlite").write_bytes(b"garbage" * 500)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["run"] = "0123456789ab"
    at.run()
    assert not at.exception
    assert "is damaged and cannot be read" in shown(at.error[0])  # the ?run= URL gets the sentence
    at.switch_page("pages/runs.py").run()
    assert not at.exception
    assert any("is damaged and cannot be read" in shown(e) for e in at.error)


def test_interrupted_runs_can_be_deleted(tmp_path, monkeypatch):
    import sqlite3

    from core.runs.store import RunStore

    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    store = RunStore(tmp_path)
    run_id = store.start("airline_passengers.csv", "abc", ["naive"])
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:  # as if the process that trained it had died
        db.execute("UPDATE runs SET pid = ? WHERE id = ?", (2 ** 22 + 12345, run_id))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception and "1 run was interrupted (the server stopped during training)" in at.caption[-1].value
    at.button(key="delete_interrupted").click().run()
    assert not at.exception
    assert RunStore(tmp_path).list().empty


def test_sessions_get_their_own_copy_and_a_deleted_run_is_gone_everywhere(tmp_path, monkeypatch):
    from tests.conftest import shown, train_page

    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    trainer = train_page(["naive", "snaive"])
    trainer.button[0].click().run()
    run_id = trainer.session_state["results"].run_id

    def visitor():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["run"] = run_id
        at.switch_page("pages/compare.py").run()
        assert not at.exception
        return at

    first, second = visitor(), visitor()
    mine, theirs = first.session_state["results"], second.session_state["results"]
    assert mine is not theirs and mine.evaluation.results is not theirs.evaluation.results
    mine.future = {"naive": "changed by the first session"}  # what Compare's future forecast does
    mine.evaluation.results["naive"].notes = "a note for the first session only"
    third = visitor()
    assert third.session_state["results"].future is None
    assert third.session_state["results"].evaluation.results["naive"].notes == ""

    second.switch_page("pages/runs.py").run()
    second.button(key="delete_run").click().run()
    assert not second.exception
    assert "results" not in second.session_state and "run" not in second.query_params
    late = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)  # the cached copy is not served
    late.query_params["run"] = run_id
    late.run()
    assert not late.exception
    assert "There is no run" in shown(late.error[0]) and "may have been deleted" in shown(late.error[0])


def test_a_damaged_history_can_be_set_aside_from_the_runs_page(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    (tmp_path / "runs.sqlite").write_bytes(b"garbage" * 500)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/runs.py").run()
    at.button(key="set_aside").click().run()
    assert not at.exception
    kept = list(tmp_path.glob("runs.damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 500
    at.switch_page("pages/runs.py").run()
    assert not at.exception and not at.error
    assert "No runs yet" in at.info[0].value


def test_a_failed_runs_message_is_listed_and_finished_runs_get_no_empty_column(tmp_path, monkeypatch):
    from core.runs.store import RunStore

    monkeypatch.setenv("LSTM_LENS_HOME", str(tmp_path))
    store = RunStore(tmp_path)
    failed = store.start("airline_passengers.csv", "abc", ["lstm"])
    store.fail(failed, "The series is too short for the horizon.")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["message"]) == ["The series is too short for the horizon."]
