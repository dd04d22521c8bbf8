"""Batch forecasting: bad series are skipped with a reason, never abort the batch; OWA relative to Naive2."""
import numpy as np
import pandas as pd
import pytest

from core.batch.panel import run_batch
from core.errors import DataError
from core.evaluation.holdout import ModelSpec


def long_frame():
    rng = np.random.default_rng(0)
    parts = []
    for sid, n in (("good1", 120), ("good2", 120), ("short", 9)):
        t = np.arange(n)
        parts.append(pd.DataFrame({"unique_id": sid, "ds": pd.date_range("2020-01-01", periods=n, freq="D"),
                                   "y": 20 + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1, n)}))
    parts.append(pd.DataFrame({"unique_id": "empty", "ds": pd.date_range("2020-01-01", periods=30, freq="D"), "y": np.nan}))
    return pd.concat(parts, ignore_index=True)


def test_bad_series_are_skipped_with_a_reason():
    result = run_batch(long_frame(), [ModelSpec("snaive"), ModelSpec("regression")], horizon=7, season=7)
    assert set(result.skipped["unique_id"]) == {"short", "empty"}
    reasons = dict(zip(result.skipped["unique_id"], result.skipped["reason"]))
    assert "too few" in reasons["short"] and "empty" in reasons["empty"]
    assert set(result.metrics["unique_id"]) == {"good1", "good2"}
    summary = result.summary.set_index("model")
    assert summary.loc["Naive2", "OWA"] == pytest.approx(1.0)
    assert summary.loc["Linear regression", "OWA"] < summary.loc["Naive2", "OWA"]


def test_batch_with_no_usable_series_says_so():
    frame = long_frame()
    with pytest.raises(DataError, match="No series in the file could be forecast"):
        run_batch(frame[frame["unique_id"].isin(["short", "empty"])], [ModelSpec("snaive")], horizon=7, season=7)


def test_dask_cluster_gives_the_serial_results():
    """Two worker processes on a local Dask cluster: every metric equals the serial run's, in the same order."""
    frame = long_frame()
    specs = [ModelSpec("snaive"), ModelSpec("regression"), ModelSpec("arima")]
    serial = run_batch(frame, specs, horizon=7, season=7, scheduler="serial")
    from core.batch.cluster import close_client, open_client

    client = open_client("local", workers=2)
    try:
        seen = []
        dask = run_batch(frame, specs, horizon=7, season=7, client=client, on_series=lambda sid, status, detail: seen.append((sid, status)))
        assert sorted(set(client.run(lambda: __import__("os").getpid()).values())) != [__import__("os").getpid()]
    finally:
        close_client(client)
    assert sorted(seen) == sorted([("good1", "done"), ("good2", "done"), ("short", "skipped"), ("empty", "skipped")])
    columns = ["unique_id", "model", "error", "sMAPE", "MASE", "MSIS", "coverage"]
    pd.testing.assert_frame_equal(serial.metrics[columns], dask.metrics[columns], check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(serial.forecasts, dask.forecasts, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(serial.skipped, dask.skipped)


def test_scheduler_setting_is_checked():
    from core.batch.cluster import check_scheduler, open_client

    assert check_scheduler(None) == "local" and check_scheduler(" Serial ") == "serial"
    assert check_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    with pytest.raises(DataError, match="not a Dask scheduler address"):
        check_scheduler("10.0.0.5; rm -rf /")
    with pytest.raises(DataError, match="Could not reach the Dask scheduler"):
        open_client("tcp://127.0.0.1:9")  # nothing listens on the discard port


def test_administrator_can_restrict_scheduler_addresses(monkeypatch):
    from core.batch.cluster import check_scheduler

    monkeypatch.setenv("LSTM_LENS_SCHEDULERS", "tcp://10.0.0.5:8786")
    assert check_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert check_scheduler("local") == "local"
    with pytest.raises(DataError, match="connects only to the Dask schedulers its administrator listed"):
        check_scheduler("tcp://203.0.113.9:8786")


def synthetic_panel(n_series=12, n=260, seed=1):
    """Series of very different sizes sharing one shape: a daily cycle of 12 steps whose amplitude drifts, plus noise."""
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n_series):
        t = np.arange(n)
        level = 10 ** rng.uniform(0, 4)
        phase = rng.uniform(0, 2 * np.pi)
        amplitude = 1 + 0.5 * np.sin(2 * np.pi * t / 97)
        y = level * (3 + amplitude * np.sin(2 * np.pi * t / 12 + phase) + 0.15 * rng.normal(size=n))
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2021-01-01", periods=n, freq="h"), "y": y}))
    return pd.concat(parts, ignore_index=True)


def test_global_lstm_beats_naive_on_a_shared_pattern():
    result = run_batch(synthetic_panel(), [ModelSpec("naive"), ModelSpec("snaive"), ModelSpec("global_lstm", {"epochs": 25, "units": 32})],
                       horizon=12, season=12)
    summary = result.summary.set_index("model")
    assert summary.loc["Global LSTM", "series"] == 12
    assert summary.loc["Global LSTM", "MASE"] < 0.7 * summary.loc["Naive", "MASE"]
    assert summary.loc["Global LSTM", "MASE"] < summary.loc["Seasonal naive", "MASE"]  # 0.78 against 1.22 when written
    assert summary.loc["Global LSTM", "sMAPE"] < summary.loc["Naive", "sMAPE"]
    assert result.notes and "12 series" in result.notes[0]
    lstm = result.forecasts[result.forecasts["model"] == "Global LSTM"]
    inside = ((lstm["actual"] >= lstm["lower"]) & (lstm["actual"] <= lstm["upper"])).mean()
    assert 0.5 < inside <= 1.0  # per-window-scaled intervals cover on every scale
    looked_inside_the_global_network(result, "s3")


def looked_inside_the_global_network(result, sid):
    """Inside the LSTM on one series of a batch: the same forecast, and the NumPy replay equal to Keras' own LSTM layer."""
    import keras

    from core.lens import probes as lens
    from core.training import global_series_run

    run = global_series_run(result, sid)
    view = run.evaluation.inspectable().model
    window = lens.window_at(view, run.dataset.clean.y, None, len(run.evaluation.train) - 1)
    batch_forecast = result.forecasts[(result.forecasts["unique_id"] == sid) & (result.forecasts["model"] == "Global LSTM")]
    np.testing.assert_allclose(lens.forecast_from(view, window), batch_forecast["mean"].to_numpy(), rtol=1e-5)
    layer = next(layer for layer in view.network().layers if layer.name == "lstm_1")
    keras_h = keras.Model(view.network().inputs, layer.output).predict(view.model._inputs(view.prepare(window.values).x, np.array([view.code])), verbose=0)
    replay_h = lens.trace_window(view, window)[0].hidden[0, -1]
    np.testing.assert_allclose(replay_h, keras_h[0], atol=1e-5)
    from core.training import forecast_future

    future, failed = forecast_future(run)  # past the end of the series, by the batch's own network (not a new one)
    series = result.history[sid]
    assert not failed and future["global_lstm"].index[0] > series.index[-1] and len(future["global_lstm"].mean) == result.horizon
    last = view.prepare(series.to_numpy()[-view.lookback_:])
    np.testing.assert_allclose(future["global_lstm"].mean, view.forecast_window(last)[0], rtol=1e-6)


def hourly_panel(n_weekly=3, n_daily=3, weeks=6, seed=2):
    """Hourly series: some lower on weekends (a week repeats), some a daily cycle on a rising level (a day repeats)."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks * 168)
    weekend = ((t // 24) % 7 >= 5).astype(float)
    parts = []
    for i in range(n_weekly + n_daily):
        level, weekly = 10 ** rng.uniform(0, 3), i < n_weekly
        cycle = 1 + 0.3 * np.sin(2 * np.pi * t / 24 + rng.uniform(0, 2 * np.pi))
        shape = cycle * (1 - 0.6 * weekend) if weekly else cycle * (1 + t / len(t))
        y = level * (shape + 0.02 * rng.normal(size=len(t)))
        parts.append(pd.DataFrame({"unique_id": f"{'w' if weekly else 'd'}{i}", "ds": pd.date_range("2021-01-04", periods=len(t), freq="h"), "y": y}))
    return pd.concat(parts, ignore_index=True)


def test_the_global_lstm_gives_each_series_the_base_season_it_follows(tmp_path):
    """Hourly series lower on weekends get a base forecast of last week, the others of yesterday: one network per base,
    each series forecast, saved and reopened, and looked inside, by its own group's network."""
    from core.models.base_season import choose_period
    from core.runs.batches import load_batch, save_batch

    result = run_batch(hourly_panel(), [ModelSpec("snaive"), ModelSpec("global_lstm", {"epochs": 3, "units": 8})], horizon=12, season=24)
    model = result.models["global_lstm"]
    assert {g.period: sorted(g.ids) for g in model.groups_} == {24: ["d3", "d4", "d5"], 168: ["w0", "w1", "w2"]}
    assert [g.lookback for g in model.groups_] == [96, 168]
    assert set(result.metrics.loc[result.metrics["model"] == "Global LSTM", "unique_id"]) == {"d3", "d4", "d5", "w0", "w1", "w2"}
    assert "its last 168 values (one season) repeated for 3 series (lookback 168)" in result.notes[0]
    assert model.base_note("w0").startswith("Base forecast for w0: its last 168 values (one season) repeated, of the cycles")
    assert "3 of the batch's 6 series share it" in model.base_note("d3") and "its last 24 values" in model.base_note("d3")
    again = load_batch(save_batch(result, tmp_path), tmp_path)
    assert [g.period for g in again.models["global_lstm"].groups_] == [24, 168]
    for sid in ("w1", "d4"):  # the reopened batch's networks give the saved forecasts; the replay equals Keras
        looked_inside_the_global_network(again, sid)
    # a series lower on weekends whose training part is too short to train a week's network on its own (188 points:
    # its seasonal naives would pick the week) keeps the day, and is forecast with the others
    weekly = hourly_panel(n_weekly=1, n_daily=0)
    weekly = weekly[weekly["unique_id"] == "w0"].head(900).tail(200)
    assert choose_period(weekly["y"].to_numpy()[:-12], (24, 168), 12) == 168
    few = run_batch(pd.concat([weekly, hourly_panel(n_weekly=0, n_daily=3, seed=5)]), [ModelSpec("global_lstm", {"epochs": 1, "units": 8})],
                    horizon=12, season=24)
    assert [(g.period, len(g.ids)) for g in few.models["global_lstm"].groups_] == [(24, 4)] and (few.metrics["error"] == "").all()
    off = run_batch(hourly_panel(), [ModelSpec("global_lstm", {"epochs": 1, "units": 8, "choose_base": False})], horizon=12, season=24)
    assert [(g.period, len(g.ids)) for g in off.models["global_lstm"].groups_] == [(24, 6)]


def test_a_batch_saved_before_bases_were_chosen_still_opens(tmp_path):
    """A global LSTM saved with one network and its fields at the top of its state (before the base season was
    chosen per series) is restored as one group with the batch's season, giving the same forecasts."""
    from core.models.global_lstm import GlobalLSTM
    from core.models.keras_training import load_network, save_network

    frame = synthetic_panel(n_series=3)
    panel = {sid: pd.Series(part["y"].to_numpy(), index=pd.DatetimeIndex(part["ds"], freq="h"), name=sid) for sid, part in frame.groupby("unique_id")}
    model = GlobalLSTM(horizon=12, season=12, epochs=1, units=8, choose_base=False).fit(panel)
    group = model.state()["groups"][0]
    old = {"config": {k: v for k, v in model.settings().items() if k != "choose_base"}, "ids": model.ids_, "batch_size": model.batch_size_,
           **{k: group[k] for k in ("lookback", "windows", "width", "history", "epoch_seconds", "train_seconds", "device")}}
    save_network(model.network(), tmp_path / "old.keras")
    again = GlobalLSTM.restore(old, load_network(tmp_path / "old.keras"), panel)
    assert [(g.period, g.lookback, g.ids) for g in again.groups_] == [(12, model.groups_[0].lookback, model.ids_)]
    before, after = model.predict(12), again.predict(12)
    for sid in panel:
        np.testing.assert_allclose(after[sid].mean, before[sid].mean, rtol=1e-6)


def test_global_lstm_windows_are_scale_free():
    from core.models.global_lstm import normalise, seasonal_base

    rng = np.random.default_rng(3)
    w = rng.normal(size=(5, 24))
    for lag in (1, 12):
        a, _, _ = normalise(w, lag)
        b, _, scale = normalise(1000 * w + 50, lag)
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    flat = normalise(np.full((1, 24), 7.0))[2]
    assert flat[0] == 7.0  # a flat window is scaled by its level, never divided by zero
    # the geometric mean of the spread (1) and the mean change over the lag: 2 a step; none over 2 steps (the spread)
    np.testing.assert_allclose(normalise(np.array([[0.0, 2, 0, 2]]), 1)[2], [np.sqrt(2)])
    np.testing.assert_allclose(normalise(np.array([[0.0, 2, 0, 2]]), 2)[2], [1.0])
    np.testing.assert_array_equal(seasonal_base(np.arange(24.0)[None], 12, 15)[0], np.r_[np.arange(12.0, 24), np.arange(12.0, 15)])


def test_saved_batch_comes_back_whole(tmp_path):
    from core.runs.batches import load_batch, save_batch

    result = run_batch(long_frame(), [ModelSpec("snaive"), ModelSpec("regression")], horizon=7, season=7)
    batch_id = save_batch(result, tmp_path)
    again = load_batch(batch_id, tmp_path)
    for name in ("metrics", "forecasts", "skipped", "summary"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(again, name), check_dtype=False)
    assert list(again.history) == ["good1", "good2"]
    pd.testing.assert_series_equal(result.history["good1"], again.history["good1"], check_names=False)
    assert again.history["good1"].index.freq == "D" and (again.horizon, again.season) == (7, 7)
    assert not list(tmp_path.glob("batches/.*"))  # no partial folder left behind
    with pytest.raises(DataError, match="There is no saved batch"):
        load_batch("../../etc", tmp_path)


@pytest.mark.parametrize("address", ["ucx://10.0.0.5:8786", "tls://10.0.0.5:8786", "inproc://x", "tcp://10.0.0.5", "tcp://h:99999999", "tcp://h:70000", "tcp://h:0"])
def test_transports_and_addresses_the_app_cannot_use_get_a_sentence(address):
    from core.batch.cluster import check_scheduler

    with pytest.raises(DataError, match="not a Dask scheduler address this app can use"):
        check_scheduler(address)


def test_the_local_cluster_speaks_tls_only_to_its_own_client_and_serves_no_http():
    """No HTTP listener (Dask opens 8787 even with the dashboard off), and a client without the cluster's key is refused."""
    import os

    import psutil
    from distributed import Client

    from core.batch.cluster import close_client, open_client

    client = open_client("local", workers=1)
    try:
        address = client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        info = client.scheduler_info()
        ports = {int(a.rsplit(":", 1)[1]) for a in [address, *info["workers"], *[w["nanny"] for w in info["workers"].values()]]}
        pids = [os.getpid(), *[p.pid for p in psutil.Process().children(recursive=True)]]
        listening = {c.laddr.port for pid in pids for c in psutil.Process(pid).net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN}
        assert 8787 not in listening and listening == ports  # the cluster's own TLS ports, nothing else
        with pytest.raises(Exception):
            Client(address, timeout="3s")  # no certificate: cannot connect, so cannot run code on the workers
        assert client.submit(sum, [1, 2]).result() == 3
    finally:
        close_client(client)


def test_the_app_connects_only_to_listed_schedulers(monkeypatch):
    from core.batch.cluster import check_scheduler

    monkeypatch.delenv("LSTM_LENS_SCHEDULERS", raising=False)
    assert check_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"  # the CLI: the machine's own user decides
    assert check_scheduler("local", listed_only=True) == "local"
    with pytest.raises(DataError, match="has not listed any remote Dask scheduler"):
        check_scheduler("tcp://10.0.0.5:8786", listed_only=True)
    monkeypatch.setenv("LSTM_LENS_SCHEDULERS", "tcp://10.0.0.5:8786")
    assert check_scheduler("tcp://10.0.0.5:8786", listed_only=True) == "tcp://10.0.0.5:8786"


def test_a_scoring_season_scales_mase_and_naive2_as_m4_did_for_weekly_data():
    """Models on a weekly cycle (7), scored with m = 1: Naive2 is then the naive forecast, MASE the one-step scale."""
    from core.evaluation import metrics as M

    frame = long_frame()
    result = run_batch(frame, [ModelSpec("naive"), ModelSpec("snaive")], horizon=7, season=7, score_season=1)
    rows = result.metrics.set_index(["unique_id", "model"])
    for sid in ("good1", "good2"):
        assert rows.loc[(sid, "Naive2"), "MASE"] == pytest.approx(rows.loc[(sid, "Naive"), "MASE"])
        y = frame[frame["unique_id"] == sid]["y"].to_numpy()
        naive = np.full(7, y[-8])
        assert rows.loc[(sid, "Naive"), "MASE"] == pytest.approx(M.mase(y[-7:], naive, y[:-7], 1))
    default = run_batch(frame, [ModelSpec("naive"), ModelSpec("snaive")], horizon=7, season=7).metrics.set_index(["unique_id", "model"])
    assert default.loc[("good1", "Naive"), "MASE"] != pytest.approx(rows.loc[("good1", "Naive"), "MASE"])
    assert result.score_season == 1


def test_a_series_of_one_season_and_a_horizon_is_forecast_not_skipped():
    rng = np.random.default_rng(1)
    n = 52 + 1 + 13  # one yearly season, one step, the horizon: the shortest a season-52 batch takes
    short = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2020-01-05", periods=n, freq="W-SUN"), "y": 50 + rng.normal(0, 1, n)})
    result = run_batch(short, [ModelSpec("snaive"), ModelSpec("naive")], horizon=13, season=52, score_season=1)
    assert result.skipped.empty and set(result.metrics["model"]) == {"Seasonal naive", "Naive", "Naive2"}
    assert (result.metrics["error"] == "").all()


def test_a_saved_batch_keeps_its_global_network_to_look_inside(tmp_path):
    from core.runs.batches import load_batch, save_batch

    result = run_batch(synthetic_panel(n_series=4), [ModelSpec("global_lstm", {"epochs": 2, "units": 8})], horizon=12, season=12)
    again = load_batch(save_batch(result, tmp_path), tmp_path)
    assert again is not result and set(again.models) == {"global_lstm"}
    looked_inside_the_global_network(again, "s2")  # same forecasts as saved, replay equal to Keras
    (tmp_path / "batches").joinpath(next(p.name for p in (tmp_path / "batches").iterdir()), "global_lstm.keras").write_bytes(b"broken")
    damaged = load_batch(next(p.name for p in (tmp_path / "batches").iterdir()), tmp_path)
    assert damaged.models == {} and damaged.summary.equals(again.summary)  # the scores stand without the network


def test_progress_gives_the_global_model_a_share_as_large_as_all_series():
    """The sidebar and the Batch page's bar say how far a batch is: the per-series models fill the first half, the global
    LSTM (which fits every series, and takes longest) the second; never backwards, and 1 at the end."""
    seen = []
    run_batch(synthetic_panel(), [ModelSpec("snaive"), ModelSpec("global_lstm", {"epochs": 2, "units": 4})], horizon=12, season=12,
              on_progress=lambda fraction, message: seen.append((fraction, str(message))))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    per_series_done = [f for f, m in seen if m.startswith("series ")][-1]
    assert per_series_done == pytest.approx(0.5)  # every series' own models done: half way
    assert any(0.5 < f < 1.0 for f, m in seen if not m.startswith("series "))  # the global LSTM's epochs in between
