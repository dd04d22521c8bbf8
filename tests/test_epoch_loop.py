"""Every LSTM trains through our own epoch loop (core.models.keras_training.run_epochs), not Keras' ``fit``: it must
train exactly as ``fit`` does on the same rows in the same order (on TensorFlow, in the very order ``fit`` shuffles them
into, so the loop trains the network ``fit`` would), report Keras' own epoch loss, and honour the callbacks that stop
training and restore the best weights."""
import numpy as np
import pytest

from core.models.keras_training import keras_module, run_epochs, seed_everything, train_network
from tests.test_validation_loss import data, small_network


def Losses(keras):
    """A callback keeping each epoch's logged loss."""

    class Keep(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.losses = []

        def on_epoch_end(self, epoch, logs=None):
            self.losses.append(float(logs["loss"]))

    return Keep()


def fresh(keras, seed=0):
    seed_everything(keras, seed)
    return small_network(keras)


@pytest.mark.parametrize("rows,batch_size,seed", [(64, 16, 0), (101, 32, 3), (37, 37, 7), (50, 8, 11)])
def test_each_epoch_matches_keras_fit_on_the_rows_in_the_seeds_order(rows, batch_size, seed):
    keras = keras_module()
    x, y = data(rows, seed)
    order = np.random.default_rng(seed).permutation(rows)  # the order run_epochs documents: drawn once from the seed
    reference, kept_reference = fresh(keras), Losses(keras)
    reference.fit(x[order], y[order], epochs=3, batch_size=batch_size, shuffle=False, verbose=0, callbacks=[kept_reference])
    ours, kept_ours = fresh(keras), Losses(keras)
    run_epochs(ours, x, y, epochs=3, batch_size=batch_size, seed=seed, callbacks=[kept_ours])
    for a, b in zip(reference.get_weights(), ours.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(kept_ours.losses, kept_reference.losses, rtol=1e-5)


@pytest.mark.parametrize("rows,batch_size,seed", [(64, 16, 0), (101, 32, 3), (37, 64, 7), (133, 8, 11)])
def test_in_keras_order_the_loop_trains_the_network_keras_fit_trains(rows, batch_size, seed):
    """``fit(shuffle=True)`` itself as the reference: the same seed, the same epochs, the same weights and losses."""
    keras = keras_module()
    if keras.backend.backend() != "tensorflow":
        pytest.skip("Keras' shuffled order is read from TensorFlow's data pipeline")
    x, y = data(rows, seed)
    reference, kept_reference = fresh(keras, seed), Losses(keras)
    reference.fit(x, y, epochs=3, batch_size=batch_size, shuffle=True, verbose=0, callbacks=[kept_reference])
    ours, kept_ours = fresh(keras, seed), Losses(keras)
    run_epochs(ours, x, y, epochs=3, batch_size=batch_size, seed=seed, callbacks=[kept_ours], order="keras")
    for a, b in zip(reference.get_weights(), ours.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(kept_ours.losses, kept_reference.losses, rtol=1e-5)
    if rows <= batch_size:
        return  # one batch: any order trains the same network
    seeded = fresh(keras, seed)  # the other order trains another network: the comparison above can tell orders apart
    run_epochs(seeded, x, y, epochs=3, batch_size=batch_size, seed=seed, callbacks=[], order="seed")
    assert not all(np.allclose(a, b, rtol=1e-5, atol=1e-6) for a, b in zip(reference.get_weights(), seeded.get_weights()))


def test_the_same_seed_trains_the_same_network_and_another_seed_another_order():
    keras = keras_module()
    x, y = data(90, 4)
    weights = []
    for seed in (5, 5, 6):
        network = fresh(keras)  # same initial weights each time: only the rows' order follows the seed
        run_epochs(network, x, y, epochs=2, batch_size=16, seed=seed, callbacks=[])
        weights.append(network.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(weights[0], weights[1]))
    assert not all(np.allclose(a, b) for a, b in zip(weights[0], weights[2]))


def test_a_callback_that_stops_training_ends_the_loop_after_that_epoch():
    keras = keras_module()
    x, y = data(40, 2)

    class StopAfterTwo(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    kept = Losses(keras)
    run_epochs(fresh(keras), x, y, epochs=10, batch_size=8, seed=0, callbacks=[StopAfterTwo(), kept])
    assert len(kept.losses) == 2


def test_training_through_the_loop_reports_every_epoch_and_restores_the_best():
    keras = keras_module()
    x, y = data(160, 8)
    xv, yv = data(40, 9)
    __, predicted, training = train_network(lambda: small_network(keras), x, y, (xv, yv), epochs=15, patience=4,
                                            batch_size=24, seed=2)
    assert len(training.history["loss"]) == len(training.history["val_loss"]) == training.epochs_run
    assert training.history["loss"][-1] < training.history["loss"][0]  # it learned
    assert float(np.mean((predicted - yv) ** 2)) == pytest.approx(min(training.history["val_loss"]), rel=1e-4)


def count_traces(network, traced=None) -> list:
    """Wrap the network's train_step so each trace appends to the returned list (Python runs it only while tracing;
    JAX's step also takes the training state first). PyTorch runs its step eagerly, every batch: nothing to count."""
    if keras_module().backend.backend() == "torch":
        pytest.skip("PyTorch runs the train step eagerly: there is no trace to count")
    traced = [] if traced is None else traced
    step = network.train_step

    def counting_step(*args):
        traced.append(1)
        return step(*args)

    network.train_step = counting_step
    return traced


@pytest.mark.parametrize("rows,batch_size", [(101, 32), (37, 16), (64, 16)])
def test_the_train_step_is_traced_once_whatever_the_last_batch(rows, batch_size):
    """A compiled step is traced for each new batch shape (and twice when its first trace creates the optimizer's
    variables): each trace cost about a second of a short series' fit. Python runs ``train_step`` only while tracing."""
    keras = keras_module()
    x, y = data(rows, 1)
    network = fresh(keras)
    traced = count_traces(network)
    run_epochs(network, x, y, epochs=3, batch_size=batch_size, seed=0, callbacks=[])
    assert len(traced) == 1


@pytest.mark.parametrize("rows,size,steps", [(10, 4, ()), (9, 9, ()), (7, 5, (3,)), (1, 1, (2, 2))])
def test_a_padded_batch_weights_its_real_rows_to_their_mean(rows, size, steps):
    from core.models.keras_training import padded_batch

    order = np.random.default_rng(rows).permutation(rows)
    for start in range(0, rows, size):
        rows_in, weights, real = padded_batch(order, start, size, steps)
        assert len(rows_in) == size and weights.shape == (size,) + steps
        assert list(rows_in[:real]) == list(order[start:start + size])
        per_row = weights.reshape(size, -1)[:, 0]
        assert np.all(per_row[real:] == 0) and per_row.sum() == pytest.approx(size)  # sum(w l) / size = mean of real l


@pytest.mark.parametrize("order", ["keras", "seed"])
def test_training_traces_its_step_once_in_either_order(order):
    keras = keras_module()
    x, y = data(70, 3)
    xv, yv = data(20, 4)
    traced = []

    def build():
        network = small_network(keras)
        count_traces(network, traced)
        return network

    train_network(build, x, y, (xv, yv), epochs=3, patience=3, batch_size=32, seed=1, order=order)
    assert len(traced) == 1

