"""Inside the LSTM through AppTest: one- and two-layer models render every heatmap, the attributions beside them; a GRU
shows its own gates; a clicked date opens its window; the what-if changes the forecast."""
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, shown


def trained(layers: int, models=("snaive", "lstm")):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/train.py").run()
    at.multiselect[0].set_value(list(models))
    inputs = {n.label: n for n in at.number_input}
    inputs["Max epochs"].set_value(3)
    inputs["Units per layer"].set_value(6)
    inputs["Layers"].set_value(layers)
    at.button[0].click().run()
    assert not at.exception, [getattr(e, "stack_trace", e) for e in at.exception]
    at.switch_page("pages/gates.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("layers", [1, 2])
def test_every_heatmap_renders(layers):
    at = trained(layers)
    assert len(at.latex) == 6  # one equation per quantity
    charts = at.get("plotly_chart")
    # window + attributions + 6 heatmaps, history, half-life, unit lines, saturation, what-if + 2 heatmaps
    assert len(charts) >= 14
    assert "Which inputs mattered" in attribution_figure(at)["layout"]["title"]["text"]
    assert len(at.selectbox(key="gate_layer_LSTM.en").options) == layers
    if layers == 2:
        at.selectbox(key="gate_layer_LSTM.en").set_value(1).run()
        assert not at.exception
    members = at.selectbox(key="gate_member.en")
    assert len(members.options) == 5 and sum("(median)" in o for o in members.options) == 1
    other = next(m for m in range(5) if m != members.value)
    before = at.session_state["whatif_forecast"]
    members.set_value(other).run()  # another member's gates; the forecast stays the ensemble's
    assert not at.exception
    np.testing.assert_allclose(at.session_state["whatif_forecast"], before)


def test_whatif_changes_the_forecast():
    at = trained(1)
    before = np.array(at.session_state["whatif_forecast"])
    at.slider(key="shift").set_value(2.0).run()
    assert not at.exception
    after = np.array(at.session_state["whatif_forecast"])
    assert np.abs(after - before).max() > 1e-3


def attribution_figure(at) -> dict:
    import json

    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "attribution_chart" in c.proto.id)
    return json.loads(chart.proto.spec)


def test_a_gru_shows_its_own_gates_and_attributions():
    at = trained(1, ("snaive", "lstm", "gru"))
    network = at.segmented_control(key="gate_network.en")
    assert network.options == ["LSTM", "GRU"] or set(network.options) == {"lstm", "gru"}
    network.set_value("gru").run()
    assert not at.exception
    assert len(at.latex) == 4  # z, r, h~, h
    assert any("z_t" in l.value for l in at.latex) and any("r_t" in l.value for l in at.latex)
    assert "GRU 1×6" in " ".join(c.value for c in at.caption)
    assert any("update gate near 1 keeps the previous hidden state" in c.value for c in at.caption)
    figure = attribution_figure(at)
    assert figure["data"][0]["type"] == "heatmap" and "Which inputs mattered" in figure["layout"]["title"]["text"]
    at.radio(key="ig_baseline.en").set_value("zeros").run()
    at.selectbox(key="ig_step.en").set_value(2).run()
    assert not at.exception
    sums = next(c.value for c in at.caption if c.value.startswith("The cells sum to"))
    assert "the forecast minus the baseline" in sums


def test_a_clicked_date_opens_its_window():
    at = trained(1)
    run = at.session_state["results"]
    series = run.dataset.clean.y
    at.session_state["inspect_at"] = {"date": str(series.index[100].date()), "where": "Compare page's forecast chart"}
    at.switch_page("pages/gates.py").run()
    assert not at.exception
    assert at.select_slider(key="gate_end.en").value == 100
    assert any("Compare page's forecast chart" in shown(i) and str(series.index[100].date()) in shown(i) for i in at.info)
    at.session_state["inspect_at"] = {"date": "2999-01-01", "where": "Compare page's forecast chart"}
    at.switch_page("pages/gates.py").run()
    assert at.select_slider(key="gate_end.en").value == len(series) - 1
    assert any("past the series' end" in shown(i) for i in at.info)
