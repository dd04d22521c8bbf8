"""The shared contract every registered model meets, plus each model's own behaviour."""
import numpy as np
import pandas as pd
import pytest

from core.evaluation import metrics as M
from core.errors import DataError
from core.models import REGISTRY, build_model

FAST = {"lstm": dict(epochs=4, units=8, patience=2), "gru": dict(epochs=4, units=8, patience=2), "arima": dict(max_models=12), "global_lstm": dict(epochs=3, units=8, patience=2)}


def seasonal_series(n=120, season=12, seed=1, name="y"):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / season) + rng.normal(0, 1, n)
    return pd.Series(values, index=pd.date_range("2010-01-01", periods=n, freq="MS"), name=name)


def assert_forecast_continues(forecast, series, horizon):
    assert len(forecast.mean) == len(forecast.lower) == len(forecast.upper) == horizon
    assert forecast.index[0] == series.index[-1] + series.index.freq
    assert forecast.index.freq == series.index.freq or pd.infer_freq(forecast.index) == "MS"
    assert np.all(forecast.lower <= forecast.mean + 1e-9) and np.all(forecast.mean <= forecast.upper + 1e-9)
    assert np.all(np.isfinite(forecast.mean))


def fitted(key, data, horizon):
    return build_model(key, season=12, horizon=horizon, **FAST.get(key, {})).fit(data)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_contract(key):
    """Every registered model, per-series and panel alike: one protocol, one set of promises."""
    series = seasonal_series()
    horizon = 12
    model = build_model(key, season=12, horizon=horizon, **FAST.get(key, {}))
    with pytest.raises(ValueError, match="not been fitted"):
        model.predict(horizon)
    forecast = model.fit(series).predict(horizon)
    assert_forecast_continues(forecast, series, horizon)
    again = fitted(key, series, horizon).predict(horizon)
    np.testing.assert_allclose(again.mean, forecast.mean, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(again.upper, forecast.upper, rtol=1e-6, atol=1e-6)
    with pytest.raises(DataError, match="horizon must be at least 1"):
        model.predict(0)
    assert isinstance(model.describe(), str) and isinstance(model.notes(), str)
    if key in ("lstm", "gru"):  # split-conformal widths: never narrower further ahead
        assert np.all(np.diff(forecast.upper - forecast.mean) >= -1e-9)


def test_conformal_widths_cover_their_level_and_never_narrow_ahead():
    """Over generated validation residuals (few and many windows, light and heavy tails, errors that grow, shrink or
    wander with the lead time): each step's width covers at least the level of that step's residuals; the per-series
    widths are never below the step before and none exceeds the largest residual seen up to its step; the global
    LSTM's (each step's own) exceed no residual of their step."""
    from core.models.keras_training import conformal_width

    rng = np.random.default_rng(7)
    for case in range(300):
        n, h = int(rng.integers(1, 200)), int(rng.integers(1, 60))
        level = float(rng.choice([0.5, 0.8, 0.9, 0.95, 0.99]))
        scale = {0: np.ones(h), 1: np.linspace(1, 3, h), 2: np.linspace(3, 1, h), 3: rng.uniform(0.2, 2, h)}[case % 4]
        noise = rng.standard_t(2, (n, h)) if case % 3 == 0 else rng.normal(size=(n, h))
        residuals = np.abs(noise) * scale
        width, own = conformal_width(residuals, level), conformal_width(residuals, level, never_narrower=False)
        assert width.shape == own.shape == (h,)
        assert np.all(np.diff(width) >= 0), case
        for w in (width, own):
            assert np.all((residuals <= w).mean(axis=0) >= min(level, 1.0) - 1e-12), case
        assert np.all(width <= np.maximum.accumulate(residuals.max(axis=0))), case
        assert np.all(own <= residuals.max(axis=0)) and np.array_equal(width, np.maximum.accumulate(own)), case


@pytest.mark.parametrize("key", [k for k, info in REGISTRY.items() if info.panel])
def test_panel_contract(key):
    """A panel model fitted on several series forecasts each of them, from where each one ends."""
    panel = {f"s{i}": seasonal_series(n=96 + 12 * i, seed=i, name=f"s{i}") for i in range(3)}
    forecasts = fitted(key, panel, 12).predict(12)
    assert set(forecasts) == set(panel)
    for sid, series in panel.items():
        assert_forecast_continues(forecasts[sid], series, 12)
    again = fitted(key, panel, 12).predict(12)
    np.testing.assert_allclose(again["s1"].mean, forecasts["s1"].mean, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("key", [k for k, info in REGISTRY.items() if not info.panel])
def test_series_models_refuse_a_panel_with_a_sentence(key):
    with pytest.raises(DataError, match="one series at a time"):
        build_model(key, season=12, horizon=3).fit({"a": seasonal_series()})


@pytest.mark.parametrize("key", list(REGISTRY))
def test_each_model_names_the_libraries_its_fit_imports(key):
    """The CLI imports them before its clock starts; a misspelt name would fail there, so it fails here first."""
    import sys

    from core.models import import_needs

    import_needs([key])
    assert all(name in sys.modules for name in REGISTRY[key].needs)
    if REGISTRY[key].slow:  # every network trains through Keras
        assert "keras" in REGISTRY[key].needs


def test_models_refuse_what_is_not_a_dated_or_numbered_series():
    for odd in (pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), pd.Series([1.0, 2.0, 3.0], index=[0.5, 1.5, 2.5]), [1.0, 2.0, 3.0]):
        with pytest.raises(DataError, match="indexed by dates or steps"):
            build_model("naive", season=1, horizon=3).fit(odd)
    steps = build_model("naive", season=1, horizon=2).fit(pd.Series([1.0, 2.0, 3.0], index=pd.RangeIndex(1, 4)))
    assert list(steps.predict(2).index) == [4, 5]


def test_seasonal_model_without_season_says_why():
    with pytest.raises(DataError, match="needs a season of at least 2"):
        build_model("snaive", season=1, horizon=3)


def test_models_refuse_gaps():
    series = seasonal_series()
    series.iloc[5] = np.nan
    with pytest.raises(DataError, match="without gaps"):
        build_model("regression", season=12, horizon=3).fit(series)


def test_arima_recovers_a_simulated_process():
    rng = np.random.default_rng(3)
    n = 600
    noise = rng.normal(0, 1, n)
    diff = np.zeros(n)
    for t in range(1, n):
        diff[t] = 0.6 * diff[t - 1] + noise[t]
    series = pd.Series(np.cumsum(diff) + 100, index=pd.date_range("2020-01-01", periods=n, freq="D"))
    model = build_model("arima", season=1, horizon=10).fit(series)
    order = model.order_
    assert (order.p, order.d, order.q) == (1, 1, 0)
    ar = [v for name, v in zip(model.result_.param_names, model.result_.params) if name.startswith("ar.")]
    assert ar[0] == pytest.approx(0.6, abs=0.08)


@pytest.mark.parametrize("seed", [1, 4])
def test_arima_chosen_on_the_approximate_likelihood_is_estimated_exactly(seed):
    """The search compares candidates on a diffuse-start likelihood; the model it keeps has the exact maximum-likelihood
    estimates, the same as fitting that order by hand."""
    from core.models.arima import AutoARIMA

    series = seasonal_series(n=156, seed=seed)
    searched = AutoARIMA(season=12).fit(series)
    o = searched.order_
    by_hand = AutoARIMA(season=12, order=(o.p, o.d, o.q), seasonal_order=(o.P, o.D, o.Q), constant=o.constant).fit(series)
    np.testing.assert_allclose(searched.result_.params, by_hand.result_.params, rtol=2e-3, atol=2e-3)
    assert searched.result_.llf == pytest.approx(by_hand.result_.llf, abs=1e-3)
    exact_search = AutoARIMA(season=12, approximate_search=False).fit(series)
    assert exact_search.models_tried_ >= 1 and searched.models_tried_ >= 1


@pytest.mark.parametrize("sample", ["airline", "macro"])
def test_arima_search_at_a_rough_tolerance_keeps_the_order_a_precise_one_keeps(sample):
    """Candidates are ranked with the optimiser stopped early (factr 1e10); on the samples the kept model and its forecast
    are those of a search run to scipy's default precision (factr 1e7)."""
    from core.models.arima import AutoARIMA
    from core.training import sample_dataset

    clean = sample_dataset(sample).clean
    rough = AutoARIMA(season=clean.season).fit(clean.y)
    precise = AutoARIMA(season=clean.season, search_factr=1e7).fit(clean.y)
    assert rough.order_ == precise.order_
    np.testing.assert_allclose(rough.predict(8).mean, precise.predict(8).mean, rtol=1e-4)


@pytest.mark.parametrize("seed", range(12))
def test_css_likelihood_agrees_with_the_exact_one_on_long_series(seed):
    """The long-series search ranks candidates by conditional sum of squares: at any stationary parameters, its
    log-likelihood per point is the Kalman filter's within 0.01 (a wrong sign or lag in the AR, MA, seasonal or regression
    terms is off by 0.1 or more), over generated orders, seasons and drifts."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    from core.models.arima_css import css_loglike

    rng = np.random.default_rng(seed)
    order = (int(rng.integers(0, 4)), int(rng.integers(0, 2)), int(rng.integers(0, 3)))
    seasonal = (int(rng.integers(0, 2)), int(rng.integers(0, 2)), int(rng.integers(0, 2)), int(rng.choice([4, 12])))
    drift = bool(rng.integers(0, 2)) and order[1] + seasonal[1] <= 1
    n = 1500
    y = np.cumsum(rng.normal(size=n)) * 0.1 + np.sin(np.arange(n) * 2 * np.pi / 12) + rng.normal(size=n) + 5
    model = SARIMAX(y, exog=(np.arange(n) / n)[:, None] if drift else None, order=order, seasonal_order=seasonal,
                    simple_differencing=True, concentrate_scale=True)
    params = model.transform_params(rng.normal(size=model.k_params) * 0.7)
    css, used = css_loglike(model, params)
    assert used == model.nobs - order[0] - seasonal[0] * seasonal[3]
    assert css / used == pytest.approx(model.loglike(params) / model.nobs, abs=0.01)


@pytest.mark.parametrize("n, kalman_fits", [(300, "every candidate"), (900, "the kept one only")])
def test_arima_search_runs_the_kalman_filter_per_candidate_only_on_short_series(monkeypatch, n, kalman_fits):
    """From CSS_FROM points the candidates are ranked by conditional sum of squares and only the kept order is fitted by
    the Kalman filter (electricity's ARIMA 4.3 -> 1.1 s, the same order; BENCHMARKS.md); its estimates are exactly those
    of fitting that order by hand. Shorter series keep the approximate Kalman likelihood for every candidate."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    from core.models.arima import CSS_FROM, AutoARIMA

    assert 300 < CSS_FROM <= 900
    fits = []
    original = SARIMAX.fit
    monkeypatch.setattr(SARIMAX, "fit", lambda self, *a, **k: fits.append(1) or original(self, *a, **k))
    series = seasonal_series(n=n, seed=2)
    searched = AutoARIMA(season=12).fit(series)
    if kalman_fits == "every candidate":  # each candidate with parameters (a white-noise one has none), and the kept one
        assert searched.models_tried_ <= len(fits) <= searched.models_tried_ + 1
    else:
        assert len(fits) == 1 and searched.models_tried_ > 5
    o = searched.order_
    by_hand = AutoARIMA(season=12, order=(o.p, o.d, o.q), seasonal_order=(o.P, o.D, o.Q), constant=o.constant).fit(series)
    np.testing.assert_allclose(searched.result_.params, by_hand.result_.params, rtol=5e-3, atol=5e-3)
    assert searched.result_.llf == pytest.approx(by_hand.result_.llf, abs=1e-2)


def test_arima_manual_order():
    series = seasonal_series()
    model = build_model("arima", season=12, horizon=6, order=(1, 1, 1), seasonal_order=(0, 1, 1)).fit(series)
    assert model.describe().startswith("ARIMA(1,1,1)(0,1,1)[12]")


def test_regression_learns_trend_and_season():
    series = seasonal_series(n=144)
    train, test = series.iloc[:-12], series.iloc[-12:]
    forecast = build_model("regression", season=12, horizon=12).fit(train).predict(12)
    naive = build_model("snaive", season=12, horizon=12).fit(train).predict(12)
    assert M.mae(test, forecast.mean) < 0.5 * M.mae(test, naive.mean)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["lstm", "gru"])
def test_recurrent_networks_learn_a_sine_wave_better_than_naive(key):
    n, period, horizon = 400, 25, 10
    t = np.arange(n)
    rng = np.random.default_rng(0)
    series = pd.Series(np.sin(2 * np.pi * t / period) + rng.normal(0, 0.05, n), index=pd.date_range("2021-01-01", periods=n, freq="h"))
    train, test = series.iloc[:-horizon], series.iloc[-horizon:]
    model = build_model(key, season=period, horizon=horizon, epochs=40, units=16, patience=8).fit(train)
    lstm_error = M.mae(test, model.predict(horizon).mean)
    naive_error = M.mae(test, build_model("naive", season=1, horizon=horizon).fit(train).predict(horizon).mean)
    assert lstm_error < 0.5 * naive_error
    assert model.training_.epochs_run >= 1 and len(model.training_.history["val_loss"]) == model.training_.epochs_run


def test_lstm_refuses_a_too_short_series_and_a_longer_horizon():
    series = seasonal_series(n=30)
    with pytest.raises(DataError, match="too short for an LSTM with lookback"):
        build_model("lstm", season=12, horizon=12, lookback=24, epochs=1).fit(series)
    model = build_model("lstm", season=12, horizon=3, epochs=1, units=4).fit(seasonal_series())
    with pytest.raises(DataError, match="trained to forecast 3 steps"):
        model.predict(5)


def test_lstm_uses_covariates():
    series = seasonal_series()
    cov = pd.DataFrame({"x": np.arange(len(series), dtype=float)}, index=series.index)
    model = build_model("lstm", season=12, horizon=6, epochs=2, units=4).fit(series, cov)
    assert model.model_.input_shape[-1] == 2  # change since the window's end, the covariate
    assert model.covariate_names_ == ["x"]


def test_diverging_lstm_ends_with_a_sentence_and_keeps_other_results():
    from core.evaluation.holdout import ModelSpec, holdout

    series = seasonal_series()
    evaluation = holdout(series, [ModelSpec("naive"), ModelSpec("lstm", {"epochs": 5, "units": 4, "learning_rate": 1e30})], 12, season=12)
    assert evaluation.results["naive"].error is None and evaluation.results["naive"].forecast is not None
    assert evaluation.results["lstm"].error == ("LSTM training diverged (the loss became NaN or infinite). "
                                                "Lower the learning rate or log-transform the series.")


def test_each_scored_model_is_reported_before_the_next_one_trains():
    """The Train page shows a leaderboard of the finished models while the LSTM still trains: after each model, the
    results so far, in order and already scored, and the last report is the whole evaluation."""
    from core.evaluation.holdout import ModelSpec, holdout

    reports = []
    specs = [ModelSpec("naive"), ModelSpec("snaive"), ModelSpec("lstm", FAST["lstm"])]
    evaluation = holdout(seasonal_series(), specs, 12, season=12, on_result=lambda results: reports.append(results))
    assert [list(r) for r in reports] == [["naive"], ["naive", "snaive"], ["naive", "snaive", "lstm"]]
    assert all("MASE" in result.metrics for r in reports for result in r.values())
    assert reports[-1] == evaluation.results


def test_arima_fits_very_long_series_on_their_recent_part():
    from core.models.arima import AutoARIMA

    n = 500
    t = np.arange(n)
    y = pd.Series(50 + 5 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(2).normal(0, 1, n),
                  index=pd.date_range("2000-01-01", periods=n, freq="D"))
    model = AutoARIMA(season=12, max_points=200).fit(y)
    forecast = model.predict(12)
    assert model.describe().endswith("fitted on the last 200 points (of 500)")
    assert forecast.index[0] == y.index[-1] + pd.Timedelta(days=1)
    assert np.abs(forecast.mean - (50 + 5 * np.sin(2 * np.pi * np.arange(n, n + 12) / 12))).mean() < 1.5


def test_auto_arima_rejects_fits_on_the_unit_circle():
    """M4 Weekly W179: an ARIMA(3,1,2) fit with AR and MA roots on the unit circle once forecast 6x the last value;
    the search now skips such fits, as forecast::auto.arima does, and forecasts near the data."""
    from pathlib import Path

    from core.data.m4 import read_m4

    m4 = Path(__file__).parent / "data" / "m4"
    values, future = read_m4(m4 / "Weekly-train.csv", m4 / "Weekly-test.csv")["W179"]
    y = pd.Series(values, index=pd.date_range("2000-01-02", periods=len(values), freq="W-SUN"))
    # The default search (conditional sum of squares: the series is long), the Kalman filter's rough search, and that
    # one run to scipy's default precision.
    for options in ({}, {"css_from": 10**9}, {"css_from": 10**9, "search_factr": 1e7}):
        model = build_model("arima", season=1, horizon=13, **options).fit(y)
        forecast = model.predict(13)
        assert abs(forecast.mean[0] / values[-1] - 1) < 0.02
        assert M.mase(future, forecast.mean, values, 1) < 5
    # At full precision the optimiser walks candidates onto the unit circle; the guard rejects them.
    assert "fits with roots near the unit circle rejected" in model.notes()


def test_the_libraries_models_need_preload_once_in_the_background():
    """The Train page starts its models' imports (TensorFlow takes seconds) when drawn; a fit started meanwhile gets the
    one module, and drawing the page again starts nothing. A fresh interpreter, so nothing heavy is imported yet."""
    import subprocess
    import sys

    script = (
        "import sys, threading\n"
        "from core.models import DEFAULT_MODELS, LSTM, preload_needs\n"
        "from core.models.keras_training import keras_module\n"
        "assert 'keras' not in sys.modules and 'statsmodels.api' not in sys.modules\n"
        "first = preload_needs(DEFAULT_MODELS)\n"
        "assert first is not None and first.name == 'model-imports'\n"
        "assert preload_needs(DEFAULT_MODELS) is None and preload_needs([LSTM]) is None\n"
        "keras = keras_module()\n"  # waits on the import lock while the thread is importing Keras
        "first.join()\n"
        "assert keras is sys.modules['keras'] and hasattr(keras, 'layers')\n"
        "assert 'statsmodels.api' in sys.modules and 'core.models.arima' in sys.modules\n"
        "assert preload_needs(DEFAULT_MODELS) is None\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
