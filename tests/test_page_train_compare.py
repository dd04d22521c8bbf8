"""Train and Compare through AppTest with a quick configuration: no exceptions, results where the user looks."""
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, shown
from ui.state import plain


def open_page(path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page(path).run()
    return at


def train_quick(at, models=("naive", "snaive", "regression", "arima", "lstm")):
    at.multiselect[0].set_value(list(models))
    inputs = {n.label: n for n in at.number_input}
    inputs["Max epochs"].set_value(3)
    inputs["Units per layer"].set_value(4)
    at.button[0].click().run()
    return at


def test_train_without_data_points_to_the_data_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert "No series chosen yet" in at.info[0].value


def test_train_then_compare():
    at = open_page("pages/train.py")
    assert not at.exception
    train_quick(at)
    assert not at.exception
    run = at.session_state["results"]
    assert set(run.evaluation.ok()) == {"naive", "snaive", "regression", "arima", "lstm"}
    assert at.dataframe[0].value.shape[0] == 5
    # each model's details whole below the table (a table cell cut the network's line short)
    details = next(c.value for c in at.caption if "**LSTM**:" in c.value)
    assert plain(run.evaluation.results["lstm"].description) in details and "**ARIMA**: ARIMA\\(" in details
    assert "details" not in at.dataframe[0].value.columns
    assert at.metric[0].value == "cpu:0"
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 3  # forecast, error by step, residuals
    downloads = at.get("download_button")
    assert len(downloads) >= 2


def test_invalid_settings_are_explained():
    at = open_page("pages/train.py")
    at.multiselect[0].set_value([])
    at.button[0].click().run()
    assert not at.exception
    assert "Choose at least one model." in shown(at.error[0])
    at.multiselect[0].set_value(["snaive"])
    {n.label: n for n in at.number_input}["Season (steps)"].set_value(1)
    at.button[0].click().run()
    assert "needs a season of at least 2 steps" in shown(at.error[0])


def test_failing_lstm_leaves_the_other_models_in_place():
    at = open_page("pages/train.py")
    at.multiselect[0].set_value(["snaive", "regression", "lstm"])
    inputs = {n.label: n for n in at.number_input}
    inputs["Test size (points held out)"].set_value(100)  # leaves 44 training points
    inputs["Lookback (0 = automatic)"].set_value(40)  # 44 - 40 - 100 + 1 windows: far too few
    inputs["Max epochs"].set_value(2)
    at.button[0].click().run()
    assert not at.exception
    errors = [shown(e) for e in at.error]
    assert any(e.startswith("LSTM: The series is too short for an LSTM with lookback 40 and horizon 100") for e in errors), errors
    run = at.session_state["results"]
    assert set(run.evaluation.ok()) == {"snaive", "regression"}
