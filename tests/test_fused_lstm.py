"""The fused training LSTM (core.models.fused_lstm) computes what Keras' own LSTM computes: the same outputs and the
same gradients for the same weights, over generated shapes, so a network trained through it is the network Keras' loop
would train, up to float32 rounding; and where the kernel does not apply it is Keras' LSTM unchanged."""
import numpy as np
import pytest

from core.models.fused_lstm import fused_lstm_class
from core.models.keras_training import keras_module

keras = keras_module()
pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the fused kernel is TensorFlow's")


def stacked(layer_class, steps, channels, units, sequences, layers, dtype="float32"):
    """``layers`` recurrent layers of ``layer_class`` and a Dense(3) head."""
    inputs = keras.Input(shape=(steps, channels), dtype=dtype)
    x = inputs
    for depth in range(layers):
        x = layer_class(units, return_sequences=sequences or depth < layers - 1)(x)
    return keras.Model(inputs, keras.layers.Dense(3)(x))


def pair(steps, channels, units, sequences, layers=1, seed=0):
    """A plain Keras LSTM network and the same network with FusedLSTM layers, given the same (non-zero-bias) weights."""
    networks = []
    for layer_class in (keras.layers.LSTM, fused_lstm_class(keras)):
        keras.utils.set_random_seed(seed)
        networks.append(stacked(layer_class, steps, channels, units, sequences, layers))
    plain, fused = networks
    rng = np.random.default_rng(seed)
    weights = [w + rng.normal(scale=0.3, size=w.shape).astype("float32") for w in plain.get_weights()]
    plain.set_weights(weights)
    fused.set_weights(weights)
    return plain, fused


def gradients(network, x, y):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((network(x, training=True) - y) ** 2)
    return [g.numpy() for g in tape.gradient(loss, network.trainable_weights)]


def float64_twin(network, steps, channels, units, sequences, layers):
    """The same plain network computed in float64: the reference both float32 computations are measured against."""
    keras.config.set_dtype_policy("float64")
    try:
        twin = stacked(keras.layers.LSTM, steps, channels, units, sequences, layers, dtype="float64")
    finally:
        keras.config.set_dtype_policy("float32")
    twin.set_weights([w.astype("float64") for w in network.get_weights()])
    return twin


@pytest.mark.parametrize("batch,steps,channels,units,sequences,layers", [
    (1, 2, 1, 1, False, 1), (16, 191, 3, 32, True, 1), (7, 24, 2, 160, False, 1), (5, 30, 4, 8, True, 2), (33, 12, 1, 16, False, 3)])
def test_outputs_and_gradients_equal_keras_lstm(batch, steps, channels, units, sequences, layers):
    """Equal to Keras' loop within float32 rounding: the fused kernel's distance from the float64 result is at most
    about Keras' own (a wrong gate order or sign is off by the gradients' own size)."""
    plain, fused = pair(steps, channels, units, sequences, layers, seed=batch)
    exact = float64_twin(plain, steps, channels, units, sequences, layers)
    rng = np.random.default_rng(steps)
    x = rng.normal(size=(batch, steps, channels)).astype("float32")
    y = rng.normal(size=(batch, steps, 3) if sequences else (batch, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(fused(x)), np.asarray(plain(x)), rtol=1e-4, atol=1e-5)
    for ours, theirs, truth in zip(gradients(fused, x, y), gradients(plain, x, y), gradients(exact, x.astype("float64"), y.astype("float64"))):
        keras_error = float(np.abs(theirs - truth).max())
        assert float(np.abs(ours - truth).max()) <= 3 * keras_error + 1e-6 * max(1.0, float(np.abs(truth).max()))


def test_the_fused_kernel_is_used_for_training_on_a_cpu_and_not_where_it_does_not_apply():
    layer = fused_lstm_class(keras)(4)
    layer.build((None, 5, 2))
    assert layer.fused(None, training=True)
    assert not layer.fused(np.ones((1, 5), bool), training=True)  # a mask: Keras' loop
    with_dropout = fused_lstm_class(keras)(4, dropout=0.2)
    with_dropout.build((None, 5, 2))
    assert not with_dropout.fused(None, training=True) and with_dropout.fused(None, training=False)


def test_with_dropout_in_training_it_is_keras_lstm():
    keras.utils.set_random_seed(3)
    x = np.random.default_rng(3).normal(size=(6, 10, 2)).astype("float32")
    outputs = []
    for layer_class in (keras.layers.LSTM, fused_lstm_class(keras)):
        keras.utils.set_random_seed(3)
        layer = layer_class(5, dropout=0.3, recurrent_dropout=0.2)
        outputs.append(np.asarray(layer(x, training=True)))
    np.testing.assert_allclose(outputs[0], outputs[1], atol=1e-6)


def test_a_forecaster_keeps_a_plain_keras_lstm():
    """Trained through the fused layer, the forecaster's network (saved, replayed, shown inside) is Keras' own LSTM."""
    import pandas as pd

    from core.models.lstm import LSTMForecaster

    values = 10 + np.sin(np.arange(120) * 2 * np.pi / 12) + np.random.default_rng(0).normal(scale=0.1, size=120)
    series = pd.Series(values, index=pd.date_range("2000-01-01", periods=120, freq="MS"))
    model = LSTMForecaster(horizon=6, season=12, epochs=3, members=2).fit(series)
    kinds = {layer.__class__.__name__ for layer in model.network().layers}
    assert "LSTM" in kinds and "FusedLSTM" not in kinds
