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


@pytest.fixture(params=["tanh", "exp"])
def activation_form(request, monkeypatch):
    """Each machine replays in the form its NumPy computes faster (gates.tanh_is_faster): both must equal Keras."""
    monkeypatch.setattr(gates, "tanh_is_faster", lambda: request.param == "tanh")
    return request.param


@pytest.mark.parametrize("layers_units", [(8,), (6, 5), (4, 7, 3)])
def test_replay_equals_keras_on_random_weights(layers_units, activation_form):
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


@pytest.mark.parametrize("scale", [1.0, 40.0, 400.0])
def test_replay_equals_keras_when_every_gate_saturates(scale, activation_form):
    """With inputs far out every gate must still be exactly closed or open, as Keras has it, with no NaN and no overflow
    warning (in the exp form, 1 / (1 + exp(-z)), exp overflows to inf for z < -88)."""
    import warnings

    import keras

    steps, inputs = 12, 2
    model = keras_reference((5,), inputs, steps, seed=3)
    x = (np.random.default_rng(2).normal(0, 1, (7, steps, inputs)) * scale).astype("float32")
    expected = [keras.ops.convert_to_numpy(o) for o in model(x)]
    weights = gates.recurrent_weights(model)  # (Keras' own warnings, like PyTorch's __array__ one, are not the replay's)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = gates.replay(weights, x, keep="all")[0]
    for name in gates.QUANTITIES:
        assert np.all(np.isfinite(trace.get(name)))
    np.testing.assert_allclose(trace.hidden, expected[0], atol=1e-5)
    np.testing.assert_allclose(trace.cell[:, -1], expected[1], atol=1e-5)
    if scale > 100:
        assert np.mean((trace.input < 1e-6) | (trace.input > 1 - 1e-6)) > 0.5  # most gates shut or wide open


@pytest.mark.parametrize("members", [1, 3])
def test_replay_matches_a_trained_forecaster(members):
    """Every member's gates replayed in NumPy equal Keras' own layers (a member's units of the wide layer), and the
    members' heads on the replayed hidden states give the forecast the app shows (median × kept share × spread + base)."""
    import keras
    import pandas as pd

    from core.lens.probes import gate_weights
    from core.models.ensemble import head_name, member_slices
    from core.models.lstm import LSTMForecaster

    t = np.arange(300)
    series = pd.Series(np.sin(t / 5) + t / 100, index=pd.date_range("2020-01-01", periods=300, freq="D"))
    model = LSTMForecaster(horizon=5, season=7, layers=2, units=6, epochs=3, members=members).fit(series)
    prepared = model.last_window()
    lstm_layers = [layer for layer in model.model_.layers if layer.__class__.__name__ == "LSTM"]
    assert len(lstm_layers) == 2 and lstm_layers[0].units == 6 * members
    probe = keras.Model(model.model_.inputs, [layer.output for layer in lstm_layers])
    last_hidden = keras.ops.convert_to_numpy(probe(prepared.x)[-1])
    heads = []
    for member in range(members):
        traces = gates.replay(gate_weights(model, member), prepared.x)
        assert traces[-1].hidden.shape[-1] == 6
        np.testing.assert_allclose(traces[-1].hidden[:, -1], last_hidden[:, member * 6:(member + 1) * 6], atol=1e-5)
        if members == 1:
            kernel, bias = model.model_.get_layer(head_name(1)).get_weights()
        else:
            kernel, bias = member_slices(model.model_, member, members)[1]
        heads.append(traces[-1].hidden[:, -1] @ kernel + bias)
    np.testing.assert_allclose(np.concatenate(heads, axis=-1), keras.ops.convert_to_numpy(model.model_(prepared.x)), atol=1e-5)
    replayed = prepared.to_values(model.shrink_ * np.median(np.stack(heads, axis=1), axis=1))[0]
    np.testing.assert_allclose(replayed, model.predict(5).mean, rtol=1e-5, atol=1e-5)
    assert 0 <= model.median_member_ < members


def test_wide_ensemble_members_never_read_each_other():
    """The zero blocks between members stay exactly zero through training, the training masks are gone from the
    saved network, and every member forecasts differently (each is its own network)."""
    import pandas as pd

    from core.models import ensemble
    from core.models.keras_training import load_network_bytes, network_bytes, predict_network
    from core.models.lstm import GRUForecaster, LSTMForecaster, member_outputs

    t = np.arange(200)
    series = pd.Series(np.sin(t / 3) + np.random.default_rng(0).normal(0, 0.1, 200), index=pd.date_range("2020-01-01", periods=200, freq="D"))
    for cls, gates_count in ((LSTMForecaster, 4), (GRUForecaster, 3)):
        model = cls(horizon=4, season=7, layers=2, units=5, epochs=4, members=4).fit(series)
        for layer in model.model_.layers:
            if layer.__class__.__name__ in ensemble.GATES:
                kernel, recurrent = layer.get_weights()[:2]
                mask = ensemble.recurrent_mask(4, 5, gates_count)
                assert np.all(recurrent * (1 - mask) == 0) and np.abs(recurrent * mask).max() > 0
                if kernel.shape[0] == 20:
                    assert np.all(kernel * (1 - mask) == 0)
        head = model.model_.get_layer(ensemble.head_name(4)).get_weights()[0]
        assert np.all(head * (1 - ensemble.head_mask(4, 5, 4)) == 0)
        assert all(getattr(w, "constraint", None) is None for w in model.model_.weights)
        again = load_network_bytes(network_bytes(model.model_))  # a plain Keras model: no custom objects needed
        x = model.last_window().x
        np.testing.assert_allclose(predict_network(again, x), predict_network(model.model_, x), atol=1e-6)
        each = member_outputs(predict_network(again, x), 4)[0]
        assert len({tuple(np.round(row, 6)) for row in each}) == 4


def test_half_life_and_saturation():
    assert gates.half_life(np.array([0.5]))[0] == pytest.approx(1.0)
    assert gates.half_life(np.array([0.9]))[0] == pytest.approx(np.log(0.5) / np.log(0.9))
    low, high = gates.saturation(np.array([0.01, 0.5, 0.99, 0.97]))
    assert (low, high) == (0.25, 0.5)


@pytest.mark.parametrize("members", [1, 3])
def test_a_downloaded_network_uploaded_again_is_looked_inside_member_by_member(members):
    """The .keras file the Compare page hands out, uploaded on the Runs page: its members are found from the file,
    and each member's replayed gates lead to that member's output, as before the round trip."""
    import keras
    import pandas as pd

    from core.lens.probes import gate_weights
    from core.models.keras_training import load_network_bytes, network_bytes
    from core.models.lstm import LSTMForecaster, adopt, member_outputs

    t = np.arange(240)
    series = pd.Series(np.sin(t / 4) + t / 90, index=pd.date_range("2020-01-01", periods=240, freq="D"))
    trained = LSTMForecaster(horizon=4, season=7, units=5, epochs=3, members=members).fit(series)
    uploaded = adopt(load_network_bytes(network_bytes(trained.model_)), series, None, season=7)
    assert (uploaded.members_, uploaded.units) == (members, 5)
    x = uploaded.last_window().x
    outputs = member_outputs(keras.ops.convert_to_numpy(uploaded.model_(x)), members)
    for member in range(members):
        trace = gates.replay(gate_weights(uploaded, member), x)[-1]
        np.testing.assert_allclose(trace.hidden[:, -1], gates.replay(gate_weights(trained, member), x)[-1].hidden[:, -1], atol=1e-6)
    assert outputs.shape == (1, members, 4)
