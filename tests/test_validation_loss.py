"""The validation loss that early stopping, the live loss chart and tuning read is Keras' own mean squared error on the
validation windows, whichever way it is computed and however the windows are cut into chunks."""
import numpy as np
import pytest

from core.models.keras_training import keras_module, predict_network, train_network, validation_loss


def small_network(keras, lookback=12, channels=2, horizon=3):
    inputs = keras.Input(shape=(lookback, channels))
    x = keras.layers.LSTM(8)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(horizon)(x))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    return model


def data(rows, seed, lookback=12, channels=2, horizon=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, lookback, channels)).astype("float32")
    y = (x[:, -horizon:, 0] * 0.5 + rng.normal(scale=0.1, size=(rows, horizon))).astype("float32")
    return x, y


@pytest.mark.parametrize("rows,chunk", [(1, 4096), (37, 5), (64, 64), (100, 33)])
def test_the_callback_reports_keras_own_loss_in_any_chunking(rows, chunk):
    keras = keras_module()
    network = small_network(keras)
    x, y = data(rows, rows)
    logs = {}
    callback = validation_loss(keras, x, y, chunk=chunk)
    callback.set_model(network)
    callback.on_epoch_end(0, logs)
    expected = float(network.evaluate(x, y, batch_size=rows, verbose=0))
    assert logs["val_loss"] == pytest.approx(expected, rel=1e-5)
    direct = float(np.mean((predict_network(network, x) - y) ** 2))
    assert logs["val_loss"] == pytest.approx(direct, rel=1e-5)


def test_early_stopping_keeps_the_epoch_with_the_lowest_reported_loss():
    keras = keras_module()
    x, y = data(200, 1)
    xv, yv = data(50, 2)
    network, predicted, training = train_network(lambda: small_network(keras), x, y, (xv, yv), epochs=12, patience=3,
                                                  batch_size=32)
    history = training.history["val_loss"]
    assert len(history) == training.epochs_run and np.all(np.isfinite(history))
    # the restored weights are those of the best epoch: their loss on the validation windows is the lowest reported
    restored = float(np.mean((predicted - yv) ** 2))
    assert restored == pytest.approx(min(history), rel=1e-4)
