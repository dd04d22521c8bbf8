"""Batch page through AppTest: the M4 sample runs, the leaderboard and charts appear, a series opens, bad input is explained."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, shown


def open_batch():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/batch.py").run()
    assert not at.exception
    return at


@pytest.fixture
def short_global_training(monkeypatch):
    """The global LSTM trained for 3 epochs instead of its default 12: this test follows the page, not the accuracy
    (tests/test_batch.py trains it in full), and the full training was an eighth of the suite's time on a 2-core CPU."""
    from core.evaluation import holdout
    from core.models import GLOBAL_LSTM

    build = holdout.build_model

    def build_short(key, **settings):
        return build(key, **({"epochs": 3, **settings} if key == GLOBAL_LSTM else settings))

    monkeypatch.setattr(holdout, "build_model", build_short)


def test_batch_page_runs_the_sample_and_opens_a_series(short_global_training):
    at = open_batch()
    assert "24 series" in at.caption[1].value
    at.multiselect(key="batch_models.en").set_value(["snaive", "regression", "global_lstm"])
    at.number_input(key="batch_horizon").set_value(24)
    at.radio(key="batch_where.en").set_value("serial").run()
    at.checkbox(key="batch_embedding").check()
    at.button[0].click().run()
    assert not at.exception and not at.error
    result = at.session_state["batch_result"]
    summary = result.summary.set_index("model")
    assert set(summary.index) == {"Seasonal naive", "Linear regression", "Global LSTM", "Naive2"}
    assert (summary["series"] == 24).all()
    assert summary.loc["Naive2", "OWA"] == 1.0
    board = at.dataframe[0].value  # the leaderboard (the per-series progress is gone with the batch done)
    assert list(board["model"]) == list(result.summary["model"])
    assert any("global LSTM 1×64, series embedding 8" in c.value and "3 epochs" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2  # error distribution and the opened series
    batch_id = at.query_params["batch"]
    at.selectbox(key="batch_series").set_value("H199").run()
    assert not at.exception
    assert "H199" in at.get("plotly_chart")[1].proto.spec
    at.button(key="batch_look_inside").click().run()  # Inside the LSTM: the global network on H199's dates
    assert not at.exception and not at.error
    assert any("looking at series H199" in c.value for c in at.caption)
    assert len(at.latex) == 6 and at.session_state["results"].dataset.name == "batch series H199"
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    at.switch_page("pages/compare.py").run()
    at.button(key="prepare_files").click().run()  # the network and the charts, no run bundle for a batch's series
    assert not at.exception and not at.error
    files = at.session_state["downloads"][1]
    assert files["keras"] and files["charts"] and "bundle" not in files
    at.button(key="forecast_future").click().run()  # by the batch's network, from H199's last window
    assert not at.exception and not at.error and set(at.session_state["results"].future) == {"global_lstm"}

    # A refresh (a new session with the same URL) gets the batch back from disk, without running it again.
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    fresh.query_params["batch"] = batch_id
    fresh.switch_page("pages/batch.py").run()
    assert not fresh.exception
    again = fresh.session_state["batch_result"]
    assert again is not result
    assert list(again.summary["model"]) == list(result.summary["model"])
    assert again.summary["MASE"].tolist() == result.summary["MASE"].tolist()
    assert len(fresh.get("plotly_chart")) == 2
    fresh.selectbox(key="batch_series").set_value("H199").run()
    fresh.button(key="batch_look_inside").click().run()  # the network was saved with the batch
    assert not fresh.exception and not fresh.error
    assert any("looking at series H199" in c.value for c in fresh.caption)


def test_batch_page_explains_a_single_series_file(tmp_path):
    at = open_batch()
    at.radio(key="batch_source.en").set_value("Upload a long-format file").run()
    assert not at.exception
    assert "Pick the sample or upload" in at.info[0].value


def test_batch_page_explains_a_horizon_no_series_can_hold():
    at = open_batch()
    at.number_input(key="batch_horizon").set_value(5000)
    at.radio(key="batch_where.en").set_value("serial")
    at.button[0].click().run()
    assert not at.exception
    assert shown(at.error[0]).startswith("No series in the file could be forecast: H1: 700 points are too few for a horizon of 5000")


@pytest.mark.parametrize("address, said", [
    ("not an address", "is not a Dask scheduler address"),
    ("tcp://127.0.0.1:8786", "an administrator has not listed any remote Dask scheduler"),  # nothing listed: the app refuses
])
def test_batch_page_checks_the_scheduler_address(address, said, monkeypatch):
    monkeypatch.delenv("LSTM_LENS_SCHEDULERS", raising=False)
    at = open_batch()
    at.radio(key="batch_where.en").set_value("address").run()
    at.text_input(key="batch_address").set_value(address).run()
    at.button[0].click().run()
    assert not at.exception
    assert said in shown(at.error[0])


def test_batch_page_scores_with_another_season_when_asked():
    at = open_batch()
    at.multiselect(key="batch_models.en").set_value(["snaive", "naive"])
    at.radio(key="batch_where.en").set_value("serial")
    at.number_input(key="batch_score_season").set_value(1)
    at.button[0].click().run()
    assert not at.exception and not at.error
    result = at.session_state["batch_result"]
    summary = result.summary.set_index("model")
    assert result.score_season == 1 and summary.loc["Naive2", "MASE"] == summary.loc["Naive", "MASE"]  # Naive2 = naive at m = 1
    assert any("Scored with season 1" in c.value for c in at.caption)
