"""Integrated gradients keep their promise: each window's attributions sum to the forecast minus the baseline's
forecast (within 1e-3 of the series' spread), and on a series whose answer is known they give a spike the effect that
removing it has."""
import numpy as np
import pandas as pd
import pytest

from core.lens import attribution, probes
from core.models.lstm import GRUForecaster, LSTMForecaster


def wavy(n=220, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return pd.Series(10 + np.sin(2 * np.pi * t / 12) * 3 + 0.02 * t + rng.normal(0, 0.3, n),
                     index=pd.date_range("2015-01-01", periods=n, freq="MS"), name="y")


@pytest.mark.parametrize("cls, members", [(LSTMForecaster, 3), (GRUForecaster, 1)])
@pytest.mark.parametrize("baseline", list(attribution.BASELINES))
def test_attributions_sum_to_the_forecast_minus_the_baselines(cls, members, baseline):
    series = wavy()
    covariates = pd.DataFrame({"promo": np.random.default_rng(3).integers(0, 2, len(series)).astype(float)}, index=series.index)
    model = cls(horizon=5, season=12, units=8, epochs=4, members=members, level_input=True).fit(series, covariates)
    window = probes.window_at(model, series, covariates, 150)
    found = attribution.integrated_gradients(model, window, baseline)
    assert found.values.shape == (5, model.lookback_, 3)
    assert found.channels == ["change since window end", "standardised level", "promo"]
    np.testing.assert_allclose(found.forecast, probes.forecast_from(model, window), rtol=1e-5, atol=1e-5)
    scale = float(np.std(series.iloc[:150]))
    sums = found.values.sum(axis=(1, 2))
    assert np.all(np.abs(sums - (found.forecast - found.baseline_forecast)) <= 1e-3 * scale)
    assert found.gap.max() <= 1e-3 * scale
    np.testing.assert_allclose(found.of(None), found.values.mean(axis=0))
    # The baseline's forecast is the forecast of the baseline window itself (same base and spread).
    ready = probes.prepared(model, window)
    x0 = attribution.baseline_input(ready.x[0], baseline)
    from core.models.windows import Prepared
    np.testing.assert_allclose(model.forecast_window(Prepared(x0[None], ready.base, ready.spread))[0], found.baseline_forecast,
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("embedding", [0, 2])
def test_attributions_of_the_global_network_on_one_series(embedding):
    """The global network reads each series' code beside its window when it learned one: held fixed on the path."""
    from core.models.global_lstm import GlobalLSTM, SeriesView

    panel = {f"s{k}": wavy(n=150, seed=k) for k in range(3)}
    model = GlobalLSTM(horizon=6, season=12, units=8, epochs=3, patience=2, embedding=embedding).fit(panel)
    view = SeriesView(model, "s1")
    window = probes.window_at(view, panel["s1"], None, 120)
    found = attribution.integrated_gradients(view, window, "mean")
    np.testing.assert_allclose(found.forecast, probes.forecast_from(view, window), rtol=1e-5, atol=1e-5)
    assert found.gap.max() <= 1e-3 * float(np.std(panel["s1"]))


def test_the_traced_gradient_is_tapes_own_and_keeps_no_network_alive():
    """On TensorFlow the gradient is traced once per network (eagerly its steps run op by op): the same numbers as an
    eager tape for any batch size, and the cache of traced functions lets a network go when nothing else holds it."""
    import gc
    import weakref

    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("the traced gradient is TensorFlow's; the other backends differentiate eagerly")
    import tensorflow as tf

    model = LSTMForecaster(horizon=5, season=12, units=8, epochs=2, members=3).fit(wavy())
    network = model.network()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, *network.input_shape[1:])).astype("float32")
    w = rng.random((7, network.output_shape[-1])).astype("float32")
    xt = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        total = tf.reduce_sum(network(xt, training=False) * w)
    eager = tape.gradient(total, xt).numpy()
    for n in (7, 3, 7):
        np.testing.assert_allclose(attribution.input_gradients(network, x[:n], w[:n]), eager[:n], rtol=1e-5, atol=1e-6)
    held = weakref.ref(network)
    del model, network
    gc.collect()
    assert held() is None


def echo_series(n=1500, seed=0, delay=5):
    """Quiet noise with spikes; each spike comes back at 80% ``delay`` steps later: a model must react to a spike."""
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 0.1, n)
    spikes = np.flatnonzero(rng.random(n) < 0.03)
    spikes = spikes[spikes < n - delay]
    values[spikes] += 3.0
    values[spikes + delay] += 2.4
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=n, freq="h"), name="echo"), spikes


@pytest.mark.slow
@pytest.mark.parametrize("step_inputs", [False, True])
def test_attributions_agree_with_removing_a_spike(step_inputs):
    """Window-relative inputs put a spike's effect on the spike's step. Step inputs read a spike as a rise at its step
    and a fall at the next: the two steps together carry its effect. Either way the spike's attribution has the sign of
    what taking the spike out of the window does to the forecast. Integrated gradients add the effect up along the
    whole way from the baseline to the value, as removing the spike does; the local slope at the spike's value is
    another thing past a saturating unit (on one network JAX trained, its sign was the opposite)."""
    series, spikes = echo_series()
    model = LSTMForecaster(horizon=4, season=1, lookback=12, units=16, epochs=40, patience=8, step_inputs=step_inputs).fit(series)
    assert model.scaling_.step_inputs == step_inputs
    lookback = model.lookback_
    checked = 0
    for spike in spikes[spikes > 1000]:
        end = spike + 2  # the spike is 3 steps before the window's end; its echo falls on horizon step 3
        others = spikes[(spikes > end - lookback - 5) & (spikes <= end + 4) & (spikes != spike)]
        if end >= len(series) or len(others):
            continue
        window = probes.window_at(model, series, None, end)
        found = attribution.integrated_gradients(model, window, "mean")
        by_step = found.of(None).sum(axis=1)
        at = lookback - 3
        with_it, without = probes.forecasts_from(model, window, [window.values, probes.add_spike(window.values, at, -3.0)])
        removal = with_it - without
        spike_steps = slice(at, at + 2 if step_inputs else at + 1)
        assert np.argmax(np.abs(by_step)) in range(lookback)[spike_steps], by_step
        assert np.sign(by_step[spike_steps].sum()) == np.sign(removal.mean()) == 1.0
        assert found.of(2)[spike_steps].sum() > 0.5  # most of the echo's 2.4 on horizon step 3 comes from the spike
        assert removal[2] > 0.5
        checked += 1
    assert checked >= 3
