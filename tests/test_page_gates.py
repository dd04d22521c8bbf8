"""Inside the LSTM through AppTest: one- and two-layer models render every heatmap; the what-if changes the forecast."""
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def trained(layers: int):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/train.py").run()
    at.multiselect[0].set_value(["snaive", "lstm"])
    inputs = {n.label: n for n in at.number_input}
    inputs["Max epochs"].set_value(3)
    inputs["Units per layer"].set_value(6)
    inputs["Layers"].set_value(layers)
    at.button[0].click().run()
    assert not at.exception
    at.switch_page("pages/gates.py").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("layers", [1, 2])
def test_every_heatmap_renders(layers):
    at = trained(layers)
    assert len(at.latex) == 6  # one equation per quantity
    charts = at.get("plotly_chart")
    # window + 6 heatmaps, history, half-life, unit lines, saturation, what-if + 2 heatmaps
    assert len(charts) >= 13
    assert len(at.selectbox(key="gate_layer").options) == layers
    if layers == 2:
        at.selectbox(key="gate_layer").set_value(1).run()
        assert not at.exception
    members = at.selectbox(key="gate_member")
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
