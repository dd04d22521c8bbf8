"""The GRU beside the LSTM: its NumPy replay equals Keras' own GRU (both reset conventions), and a trained GRU
forecaster's gates lead to the forecast the app shows."""
import numpy as np
import pandas as pd
import pytest

from core.lens import gates
from tests.conftest import randomise_recurrent


def keras_gru(layers_units, inputs, steps, reset_after, seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    x_in = keras.Input(shape=(steps, inputs))
    x, outputs = x_in, []
    for k, units in enumerate(layers_units):
        x = keras.layers.GRU(units, return_sequences=True, reset_after=reset_after, name=f"gru_{k}")(x)
        outputs.append(x)
    return randomise_recurrent(keras.Model(x_in, outputs), "GRU", seed)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("layers_units", [(8,), (5, 6)])
def test_gru_replay_equals_keras(layers_units, reset_after):
    import keras

    steps, inputs = 19, 3
    model = keras_gru(layers_units, inputs, steps, reset_after)
    x = np.random.default_rng(2).normal(0, 1, (7, steps, inputs)).astype("float32")
    out = model(x)
    expected = [keras.ops.convert_to_numpy(o) for o in (out if isinstance(out, (list, tuple)) else [out])]
    weights = gates.recurrent_weights(model)
    assert [w.kind for w in weights] == ["GRU"] * len(layers_units)
    traces = gates.replay(weights, x, keep="all")
    for k, trace in enumerate(traces):
        assert trace.kind is gates.GRU_CELL and set(trace.values) == set(gates.GRU_CELL.quantities)
        np.testing.assert_allclose(trace.hidden, expected[k], atol=1e-5)
        for gate in ("update", "reset"):
            assert 0 <= trace.get(gate).min() and trace.get(gate).max() <= 1
        assert np.abs(trace.hidden_candidate).max() <= 1
        # The hidden state is the update gate's blend of the previous state and the candidate.
        previous = np.concatenate([np.zeros_like(trace.hidden[:, :1]), trace.hidden[:, :-1]], axis=1)
        np.testing.assert_allclose(trace.hidden, trace.update * previous + (1 - trace.update) * trace.hidden_candidate, atol=1e-5)
    last = gates.replay(weights, x, keep="last", chunk=3)
    np.testing.assert_allclose(last[-1].hidden[:, 0], expected[-1][:, -1], atol=1e-5)


def test_gru_forecaster_gates_lead_to_its_forecast():
    """Each member's replayed hidden state through its own head gives the members' outputs, and their median
    mapped back gives the forecast; the memory gate the pages use is the update gate."""
    import keras

    from core.lens.probes import gate_weights
    from core.models.ensemble import member_slices
    from core.models.lstm import GRUForecaster, parameter_count

    t = np.arange(260)
    series = pd.Series(np.sin(t / 4) + t / 80, index=pd.date_range("2020-01-01", periods=260, freq="D"))
    model = GRUForecaster(horizon=4, season=7, units=6, epochs=3, members=3).fit(series)
    assert "GRU 1×6" in model.describe()
    prepared = model.last_window()
    heads = []
    for member in range(3):
        traces = gates.replay(gate_weights(model, member), prepared.x)
        assert traces[-1].memory_gate is traces[-1].update
        kernel, bias = member_slices(model.model_, member, 3)[1]
        heads.append(traces[-1].hidden[:, -1] @ kernel + bias)
    np.testing.assert_allclose(np.concatenate(heads, axis=-1), keras.ops.convert_to_numpy(model.model_(prepared.x)), atol=1e-5)
    replayed = prepared.to_values(model.shrink_ * np.median(np.stack(heads, axis=1), axis=1))[0]
    np.testing.assert_allclose(replayed, model.predict(4).mean, rtol=1e-5, atol=1e-5)
    # A GRU layer of U units reading C channels has 3 (C U + U U + 2 U) weights (two biases), its head U H + H.
    channels = prepared.x.shape[-1]
    assert parameter_count(model) == 3 * (3 * (channels * 6 + 6 * 6 + 2 * 6) + 6 * 4 + 4)


def test_a_network_mixing_cells_is_refused_with_a_sentence():
    import keras

    x_in = keras.Input(shape=(5, 1))
    model = keras.Model(x_in, keras.layers.GRU(3)(keras.layers.LSTM(3, return_sequences=True)(x_in)))
    with pytest.raises(ValueError, match="mixes LSTM and GRU"):
        gates.recurrent_weights(model)
