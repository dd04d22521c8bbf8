"""The Learn page renders in both languages, with a trained run and with the built-in demo model."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def open_learn(train_first: bool, models=("snaive", "regression", "lstm")):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if train_first:
        at.switch_page("pages/train.py").run()
        at.multiselect[0].set_value(list(models))
        inputs = {n.label: n for n in at.number_input}
        inputs["Max epochs"].set_value(3)
        inputs["Units per layer"].set_value(6)
        at.button[0].click().run()
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("train_first", [True, False], ids=["own model", "demo model"])
def test_learn_in_english_and_korean(train_first):
    at = open_learn(train_first)
    assert at.title[0].value.startswith("Learn")
    assert len(at.get("plotly_chart")) == 8
    table = at.table[0].value
    assert list(table["model"]) == ["Linear regression", "ARIMA", "LSTM"]
    if train_first:
        assert table.loc[2, "MASE (your data)"] != "not trained"
        assert table.loc[1, "MASE (your data)"] == "not trained"
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception
    assert at.title[0].value.startswith("배우기")
    assert "모델" in at.table[0].value.columns
    assert len(at.get("plotly_chart")) == 8
    assert any("GRU" in i.value for i in at.info)  # how to compare the two on your data


def test_learn_compares_the_lstm_and_the_gru_on_your_data():
    at = open_learn(True, ("snaive", "lstm", "gru"))
    assert len(at.get("plotly_chart")) == 9  # the half-lives of both networks' units
    table = at.dataframe[0].value
    assert list(table["model"]) == ["LSTM", "GRU"]
    weights = [int(w.replace(",", "")) for w in table["weights"]]
    assert weights[1] < weights[0]  # three weight blocks instead of four
    assert all(float(h) > 0 for h in table["median half-life (steps)"])
    assert all(m != "not trained" for m in table["MASE (your data)"])
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception
    assert any(h.value.startswith("6. LSTM과 GRU") for h in at.header)
    assert "반감기 중앙값(시점)" in at.dataframe[0].value.columns
