"""The NumPy replay equals Keras' own LSTM outputs, on random weights and on a trained model."""
import numpy as np
import pytest

from core.lens import gates
from tests.conftest import randomise_recurrent


def keras_reference(layers_units, inputs, steps, seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    x_in = keras.Input(shape=(steps, inputs))
    x = x_in
    outputs = []
    for k, units in enumerate(layers_units):
        seq, h_last, c_last = keras.layers.LSTM(units, return_sequences=True, return_state=True, name=f"lstm_{k}")(x)
        outputs += [seq, c_last]
        x = seq
    return randomise_recurrent(keras.Model(x_in, outputs), "LSTM", seed)


@pytest.mark.parametrize("layers_units", [(8,), (6, 5), (4, 7, 3)])
def test_replay_equals_keras_on_random_weights(layers_units):
    import keras

    steps, inputs = 17, 3
    model = keras_reference(layers_units, inputs, steps)
    x = np.random.default_rng(1).normal(0, 1, (9, steps, inputs)).astype("float32")
    expected = [keras.ops.convert_to_numpy(o) for o in model(x)]
    traces = gates.replay(gates.recurrent_weights(model), x, keep="all")
    assert len(traces) == len(layers_units)
    for k, trace in enumerate(traces):
        np.testing.assert_allclose(trace.hidden, expected[2 * k], atol=1e-5)
        np.testing.assert_allclose(trace.cell[:, -1], expected[2 * k + 1], atol=1e-5)
        assert trace.forget.min() >= 0 and trace.forget.max() <= 1
    last = gates.replay(gates.recurrent_weights(model), x, keep="last", chunk=4)
    for k, trace in enumerate(last):
        np.testing.assert_allclose(trace.hidden[:, 0], expected[2 * k][:, -1], atol=1e-5)


@pytest.mark.parametrize("members", [1, 3])
def test_replay_matches_a_trained_forecaster(members):
    """Every member's gates replayed in NumPy equal Keras' own layers, and the members' heads on the replayed
    hidden states give the forecast the app shows (median × kept share × spread + base)."""
    import keras
    import pandas as pd

    from core.lens.probes import gate_weights
    from core.models.lstm import LSTMForecaster, member_prefix

    t = np.arange(300)
    series = pd.Series(np.sin(t / 5) + t / 100, index=pd.date_range("2020-01-01", periods=300, freq="D"))
    model = LSTMForecaster(horizon=5, season=7, layers=2, units=6, epochs=3, members=members).fit(series)
    prepared = model.last_window()
    heads = []
    for member in range(members):
        prefix = member_prefix(member, members)
        lstm_layers = [layer for layer in model.model_.layers if layer.__class__.__name__ == "LSTM" and layer.name.startswith(prefix)]
        assert len(lstm_layers) == 2
        probe = keras.Model(model.model_.inputs, [layer.output for layer in lstm_layers])
        traces = gates.replay(gate_weights(model, member), prepared.x)
        np.testing.assert_allclose(traces[-1].hidden[:, -1], keras.ops.convert_to_numpy(probe(prepared.x)[-1]), atol=1e-5)
        kernel, bias = model.model_.get_layer(f"{prefix}forecast").get_weights()
        heads.append(traces[-1].hidden[:, -1] @ kernel + bias)
    np.testing.assert_allclose(np.concatenate(heads, axis=-1), keras.ops.convert_to_numpy(model.model_(prepared.x)), atol=1e-5)
    replayed = prepared.to_values(model.shrink_ * np.median(np.stack(heads, axis=1), axis=1))[0]
    np.testing.assert_allclose(replayed, model.predict(5).mean, rtol=1e-5, atol=1e-5)
    assert 0 <= model.median_member_ < members


def test_half_life_and_saturation():
    assert gates.half_life(np.array([0.5]))[0] == pytest.approx(1.0)
    assert gates.half_life(np.array([0.9]))[0] == pytest.approx(np.log(0.5) / np.log(0.9))
    low, high = gates.saturation(np.array([0.01, 0.5, 0.99, 0.97]))
    assert (low, high) == (0.25, 0.5)
