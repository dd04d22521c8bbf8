"""Explanations computed from a fitted LSTM: retention, sensitivity, what-if edits."""
import numpy as np
import pandas as pd
import pytest

from core.lens import probes as lens
from core.models.lstm import LSTMForecaster


@pytest.fixture(scope="module")
def fitted():
    t = np.arange(240)
    series = pd.Series(10 + np.sin(2 * np.pi * t / 12) + t / 50, index=pd.date_range("2000-01-01", periods=240, freq="MS"), name="y")
    return LSTMForecaster(horizon=6, season=12, units=6, epochs=3).fit(series), series


def test_window_and_forecast(fitted):
    model, series = fitted
    window = lens.window_at(model, series, None, len(series) - 1)
    assert len(window.values) == model.lookback_ and window.dates[-1] == series.index[-1]
    np.testing.assert_allclose(lens.forecast_from(model, window), model.predict(6).mean, rtol=1e-5)
    with pytest.raises(ValueError):
        lens.window_at(model, series, None, 2)


def test_retention_is_a_product_of_forget_gates(fitted):
    model, series = fitted
    window = lens.window_at(model, series, None, 100)
    trace = lens.trace_window(model, window)[0]
    kept = lens.retention(trace, [0, 1])
    f = trace.forget[0][:, [0, 1]]
    np.testing.assert_allclose(kept[0], f[-1], rtol=1e-6)
    np.testing.assert_allclose(kept[2], f[-1] * f[-2] * f[-3], rtol=1e-5)
    assert np.all(np.diff(kept, axis=0) <= 1e-7)


def test_sensitivity_and_noise(fitted):
    model, series = fitted
    window = lens.window_at(model, series, None, 150)
    s = lens.sensitivity(model, window)
    assert s.shape == (model.lookback_,) and np.all(s >= 0) and s.max() > 0
    channels = lens.channel_sensitivity(model, window)
    assert set(channels) == {"change since window end"}  # no level channel by default
    noisy = lens.noisy_forecasts(model, window, 0.1, draws=5)
    assert noisy.shape == (5, 6)


def test_probes_in_one_batch_give_what_one_forecast_per_edit_gives(fitted):
    """The Learn page's probes send all their edited windows through the network at once: each row must be the forecast
    that edited window gives on its own, and each channel's sensitivity what nudging that channel alone gives."""
    model, series = fitted
    window = lens.window_at(model, series, None, 150)
    rng = np.random.default_rng(3)
    copies = [window.values + rng.normal(0, 2, len(window.values)) * (k % 3) for k in range(7)]
    one_by_one = np.stack([lens.forecast_from(model, lens.edited(window, c)) for c in copies])
    np.testing.assert_allclose(lens.forecasts_from(model, window, copies), one_by_one, rtol=1e-5, atol=1e-5)

    ready = lens.prepared(model, window)
    base = model.forecast_window(ready)[0]
    for c, (name, found) in enumerate(lens.channel_sensitivity(model, window, relative=0.05).items()):
        nudged = ready.x.copy()
        nudged[..., c] += 0.05
        moved = model.forecast_window(type(ready)(nudged, ready.base, ready.spread))[0]
        assert found == pytest.approx(np.abs(moved - base).mean() / (0.05 * model.scaling_.scale), rel=1e-4), name
    nudge = float(model.scaling_.scale) * 0.01
    step = 5
    alone = (lens.forecast_from(model, lens.edited(window, lens.add_spike(window.values, step, nudge))) - base) / nudge
    np.testing.assert_allclose(lens.nudged_changes(model, window)[step], alone, rtol=1e-3, atol=1e-3)


def test_edits():
    values = np.arange(24, dtype=float) + np.tile([0, 5, 0, -5], 6)
    assert lens.add_spike(values, 3, 10)[3] == values[3] + 10
    assert np.allclose(lens.shift_level(values, 2.0) - values, 2.0)
    flat = lens.remove_season(values, 4)
    assert np.std(np.diff(flat)) < 0.05 * np.std(np.diff(values))  # the 4-step swing is gone


def test_the_history_trace_of_a_long_series_keeps_only_its_most_recent_windows(fitted, monkeypatch):
    model, series = fitted
    full_dates, full = lens.history_trace(model, series, None)
    assert len(full_dates) == len(series) - model.lookback_ + 1 and full_dates[-1] == series.index[-1]
    monkeypatch.setattr(lens, "MAX_HISTORY_WINDOWS", 50)
    dates, bounded = lens.history_trace(model, series, None)
    assert len(dates) == 50 and dates[-1] == series.index[-1]
    for quantity in ("forget", "cell", "hidden"):  # the same windows give the same gates, whatever was cut before them
        np.testing.assert_allclose(bounded[0].get(quantity), full[0].get(quantity)[-50:], atol=1e-6)
