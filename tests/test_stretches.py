"""Training on stretches of a long series: each stretch starts with a window exactly as the network reads it alone,
the step inputs read only the past, and the network that trained on stretches is the one that forecasts and
whose gates are shown."""
import numpy as np
import pandas as pd
import pytest

from core.lens import gates
from core.models.windows import (Scaling, channel_names, input_windows, stretch_starts, training_pairs, training_stretches,
                                 training_targets)


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    lookback, horizon = int(rng.integers(3, 30)), int(rng.integers(1, 12))
    period = int(rng.choice([1, 2, 7, lookback]))
    n = lookback + horizon + int(rng.integers(20, 300))
    target = np.cumsum(rng.normal(0, 1, n)) + 5 * np.sin(np.arange(n) / 3)
    covariates = rng.normal(0, 1, (n, int(rng.integers(0, 3))))
    scaling = Scaling.fit(target, covariates, period, False, bool(rng.integers(0, 2)), step_inputs=True)
    return rng, lookback, horizon, target, covariates, scaling


@pytest.mark.parametrize("seed", range(40))
def test_each_stretch_starts_with_the_window_the_network_reads_alone(seed):
    """Generated series, lookbacks, horizons, seasons and covariates: a stretch's first `lookback` inputs are exactly
    its first window's, its targets are its windows' targets in order, and the stretches score every window asked for."""
    rng, lookback, horizon, target, covariates, scaling = random_case(seed)
    prepared, y = training_pairs(target, covariates, lookback, horizon, scaling)
    first = int(rng.integers(0, len(y) - 1))
    stop = int(rng.integers(first + 1, len(y) + 1))
    asked, stride = int(rng.integers(1, 2 * lookback)), int(rng.integers(1, lookback + 1))
    x, targets = training_stretches(target, covariates, y, lookback, first, stop, asked, stride, scaling)
    steps = min(asked, stop - first)
    assert targets.shape[1:] == (steps, horizon) and x.shape[1] == lookback + steps - 1 and len(x) == len(targets)
    assert x.shape[-1] == prepared.x.shape[-1] == len(channel_names([f"c{i}" for i in range(covariates.shape[1])], scaling))
    covered = set()
    for s, start in enumerate(stretch_starts(first, stop, steps, stride)):
        np.testing.assert_array_equal(x[s, :lookback], prepared.x[start])
        np.testing.assert_array_equal(targets[s], y[start:start + steps])
        covered.update(range(start, start + steps))
    assert covered == set(range(first, stop))


@pytest.mark.parametrize("seed", range(20))
def test_targets_and_validation_windows_alone_equal_those_of_all_windows(seed):
    """Training on stretches builds the targets without the windows' inputs, and the validation windows from the
    series' last part alone: both equal what building every window gives (any recipe, with or without covariates)."""
    rng, lookback, horizon, target, covariates, _ = random_case(seed)
    scaling = Scaling.fit(target, covariates, int(rng.choice([1, 2, lookback])), bool(rng.integers(0, 2)),
                          bool(rng.integers(0, 2)), step_inputs=bool(rng.integers(0, 2)))
    prepared, y = training_pairs(target, covariates, lookback, horizon, scaling)
    np.testing.assert_array_equal(training_targets(target, lookback, horizon, scaling), y)
    first = int(rng.integers(0, len(y)))
    end = len(y) + lookback - 1
    part = input_windows(target[first:end], covariates[first:end], lookback, horizon, scaling)
    np.testing.assert_array_equal(part.x, prepared.x[first:])
    np.testing.assert_array_equal(part.spread, prepared.spread[first:])


@pytest.mark.parametrize("seed", range(20))
def test_step_inputs_read_only_the_step_and_the_ones_before(seed):
    """Changing one value of a window changes the step inputs at that step and later ones, never earlier ones: what
    makes a stretch's later steps the same network as its first window, only with more of the past seen."""
    rng, lookback, horizon, target, _, scaling = random_case(seed)
    window = target[:lookback]
    moved = window.copy()
    position = int(rng.integers(0, lookback))
    moved[position] += 3.0
    before = input_windows(window, None, lookback, horizon, scaling).x[0]
    after = input_windows(moved, None, lookback, horizon, scaling).x[0]
    np.testing.assert_array_equal(before[:position], after[:position])
    assert not np.array_equal(before[position:], after[position:])


def step_scaling(period: int = 7) -> Scaling:
    return Scaling(0.0, 1.0, np.zeros(0), np.ones(0), period, False, True, True)


@pytest.mark.parametrize("cell,layers,members", [("LSTM", 1, 1), ("LSTM", 2, 3), ("GRU", 2, 1)])
def test_the_network_trained_on_stretches_is_the_window_network(cell, layers, members):
    """The stretch network's forecast at its first scored step equals the window network with its weights on that
    window, member for member and layer for layer (it is the window network, reading longer)."""
    import keras

    from core.models.lstm import build_network

    lookback, channels, horizon = 12, 3, 5
    stretched = build_network(lookback, channels, horizon, layers, 4, 0.0, 1e-3, members=members, cell=cell, seed=1, stretch=True)
    window = build_network(lookback, channels, horizon, layers, 4, 0.0, 1e-3, members=members, cell=cell, seed=2)
    window.set_weights(stretched.get_weights())
    x = np.random.default_rng(0).normal(0, 1, (6, lookback + 9, channels)).astype("float32")
    along = keras.ops.convert_to_numpy(stretched(x))
    assert along.shape == (6, 10, horizon * members)
    np.testing.assert_allclose(along[:, 0], keras.ops.convert_to_numpy(window(x[:, :lookback])), atol=1e-5)


def long_series(n: int = 1500) -> pd.Series:
    t = np.arange(n)
    rng = np.random.default_rng(3)
    values = 100 + 10 * np.sin(2 * np.pi * t / 24) + 4 * np.sin(2 * np.pi * t / 168) + t / 200 + rng.normal(0, 1, n)
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=n, freq="h"), name="load")


@pytest.fixture(scope="module")
def long_model():
    from core.models.lstm import LSTMForecaster

    series = long_series()
    return LSTMForecaster(horizon=12, season=24, units=6, epochs=4).fit(series), series


def test_a_long_series_trains_on_stretches_and_its_gates_replay_exactly(long_model):
    """From 1,000 training windows the LSTM trains on stretches of step inputs; the saved network reads windows, and
    its gates replayed in NumPy lead to the forecast the app shows."""
    import keras

    model, series = long_model
    assert model.scaling_.step_inputs and model.stretch_ == 2 * model.lookback_ - 1
    assert "stretches" in model.describe()
    assert model.model_.input_shape == (None, model.lookback_, 3)
    x = model.last_window().x
    trace = gates.replay(gates.recurrent_weights(model.model_), x)[-1]
    kernel, bias = model.model_.get_layer("forecast").get_weights()
    np.testing.assert_allclose(trace.hidden[:, -1] @ kernel + bias, keras.ops.convert_to_numpy(model.model_(x)), atol=1e-5)
    np.testing.assert_allclose(model.last_window().to_values(model.shrink_ * (trace.hidden[:, -1] @ kernel + bias))[0],
                               model.predict(12).mean, rtol=1e-5)
    assert channel_names([], model.scaling_) == ["change since the step before", "change since a season before", "standardised level"]


def test_a_network_trained_on_stretches_uploaded_again_reads_the_same_inputs(long_model):
    """Its .keras file alone, uploaded on the Runs page: the step-input recipe is recognised from the forecasts."""
    from core.models.keras_training import load_network_bytes, network_bytes
    from core.models.lstm import adopt

    model, series = long_model
    uploaded = adopt(load_network_bytes(network_bytes(model.model_)), series, None, season=24)
    assert uploaded.scaling_.step_inputs and uploaded.scaling_.period == model.scaling_.period
    assert channel_names([], uploaded.scaling_) == channel_names([], model.scaling_)
    # the same changes, on the spread of the whole series instead of the training part's
    np.testing.assert_allclose(uploaded.last_window().x[..., :2] * uploaded.scaling_.scale,
                               model.last_window().x[..., :2] * model.scaling_.scale, rtol=1e-4, atol=1e-3)


def test_short_series_keep_training_on_windows():
    from core.models.lstm import LSTMForecaster

    model = LSTMForecaster(horizon=12, season=24, units=4, epochs=2).fit(long_series(400))
    assert not model.scaling_.step_inputs and model.stretch_ == 0 and "stretches" not in model.describe()


@pytest.mark.parametrize("stretches", [1, 7, 16, 17, 24, 25, 129, 1000])
def test_stretch_batches_are_even(stretches):
    """About 16 stretches a batch and no nearly empty last batch (each batch costs a whole recurrence)."""
    from core.models.lstm import STRETCH_BATCH, stretch_batch_size

    size = stretch_batch_size(stretches)
    batches = -(-stretches // size)
    last = stretches - (batches - 1) * size
    assert abs(size - STRETCH_BATCH) <= STRETCH_BATCH // 2 or stretches < STRETCH_BATCH * 3 // 2
    assert 2 * last >= size  # the last batch is at least half full
