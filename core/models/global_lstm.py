"""One LSTM for many series: trained on windows from all of them, each window on its own scale.

A per-series LSTM learns from a few hundred windows of one series and costs a training per
series. The global model pools windows from every series, so it trains once and each series
borrows the patterns of the others. To make series of different sizes comparable, every
window is shifted by its last value and divided by its own scale (the geometric mean of its
spread and its mean change over a season); the network predicts the next ``horizon`` steps on
that scale and the forecast is mapped back with the same two numbers. An optional embedding
gives each series a learned vector of its own.

It follows the same protocol as every model (core.models.base): ``fit`` takes a mapping
id -> series (or one series, a panel of one) and ``predict`` forecasts every series.
Keras is imported inside fit/predict only (core.models.keras_training).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from core.errors import DataError
from core.i18n import Text
from core.models.base_season import FOLDS, base_candidates, choose_period
from core.models.base import Forecast, Forecaster, check_horizon, future_index
from core.models.keras_training import Training, conformal_width, cosine_decay, keras_module, predict_network, train_network
from core.models.windows import Prepared, Scaling, base_words, default_lookback, seasonal_base


VALIDATION_WINDOWS = 4
MAX_WINDOWS = 50_000
WARM_UP = 8  # epochs before early stopping may act: small panels sit on a plateau first


def window_scale(windows: np.ndarray, lag: int = 1) -> np.ndarray:
    """Each window's own scale: the geometric mean of its spread (standard deviation) and its mean absolute change
    over ``lag`` steps (what MASE divides errors by, with the season as lag). Flat windows fall back to their level,
    then to 1; windows whose values repeat every ``lag`` steps, to their spread.

    The spread alone sizes errors as sMAPE does (against the series' level and swings), the change alone as MASE does;
    on M4 Hourly the mean of the two (OWA) was best with both: 0.438 against 0.488 with the spread alone (one seed each;
    BENCHMARKS.md)."""
    spread = windows.std(axis=-1)
    level = np.abs(windows).mean(axis=-1)
    flat = spread <= 1e-8 * (level + 1.0)
    spread = np.where(flat, np.where(level > 0, level, 1.0), spread)
    lag = change_lag(lag, windows.shape[-1])
    change = np.abs(windows[..., lag:] - windows[..., :-lag]).mean(axis=-1) if windows.shape[-1] > 1 else spread
    change = np.where(change > 1e-3 * spread, change, spread)
    return np.sqrt(spread * change)


def change_lag(season: int, lookback: int) -> int:
    """The steps a window's mean change is taken over: the season when the window is longer than it, else 1."""
    return season if 0 < season < lookback else 1


def normalise(windows: np.ndarray, lag: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows (N, L) -> scaled windows (N, L, 1), anchors (N,) and scales (N,) (``window_scale`` with ``lag``)."""
    anchor = windows[:, -1]
    scale = window_scale(windows, lag)
    return ((windows - anchor[:, None]) / scale[:, None])[..., None].astype("float32"), anchor, scale


def global_lookback(season: int, horizon: int) -> int:
    """Four seasons, or without a season four horizons (at least 48 steps): pooled windows are plentiful, so the
    global model can read further back than one series' LSTM (M4 Weekly, season 1: OWA 0.92 with 13 weeks, 0.75 with 52)."""
    if season > 1:
        return min(max(default_lookback(season, horizon, 10 ** 6), 4 * season), 336)
    return min(max(4 * horizon, 48), 336)


def held_out(horizon: int) -> int:
    """The steps at a series' end that only validation windows forecast: a horizon, then a quarter-horizon apart."""
    return horizon + (VALIDATION_WINDOWS - 1) * max(1, horizon // 4)


def _padded(values: np.ndarray, length: int) -> np.ndarray:
    """Series shorter than one window are padded on the left with their first value."""
    return values if len(values) >= length else np.pad(values, (length - len(values), 0), mode="edge")


@dataclass
class Group:
    """The series whose base forecast repeats the same season, and the network trained on their windows."""

    period: int
    lookback: int
    ids: list[str]
    network: object = None
    width: np.ndarray | None = None
    training: Training | None = None
    windows: int = 0

    @property
    def name(self) -> str:
        return f"global_lstm_{self.period}"


class GlobalLSTM(Forecaster):
    """Fit on a dict of series (id -> pd.Series with a regular DatetimeIndex); forecast all of them.

    Each series' base forecast repeats the season (of those the data's frequency allows) whose seasonal naive forecast
    the end of its own training part best (core.models.base_season); the series sharing a season share a network, so a
    panel of hourly series trains one network on a daily base and one on a weekly base. ``choose_base=False`` keeps the
    batch's season for every series (one network)."""

    name = "Global LSTM"
    panel = True

    def __init__(self, horizon: int, season: int = 1, lookback: int | None = None, units: int = 64, embedding: int = 0,
                 epochs: int = 12, patience: int = 6, batch_size: int | None = None, windows_per_series: int | None = None,
                 learning_rate: float = 4e-3, seed: int = 0, level: float = 0.9, device: str | None = None, choose_base: bool = True):
        self._keep(locals())
        self.horizon = check_horizon(horizon)
        self.batch_size = int(batch_size) if batch_size else None

    # ------------------------------------------------------------------ data
    def _windows(self, values: np.ndarray, code: int, lookback: int):
        """Training and validation windows of one series.

        Validation: ``VALIDATION_WINDOWS`` windows whose forecasts end at the series' end and a quarter-horizon
        apart; training: up to ``windows_per_series`` windows, evenly spread, whose futures end before any
        validation future begins.
        """
        L, H = lookback, self.horizon
        step, cut = max(1, H // 4), held_out(H)
        values = _padded(values, L + cut + 1)
        n = len(values)
        val_ends = [n - j * step for j in range(VALIDATION_WINDOWS)]
        val = np.stack([values[e - H - L:e] for e in val_ends])
        train_part = values[:n - cut]
        usable = max(len(train_part) - L - H + 1, 0)  # windows whose next H values lie in train_part
        starts = np.arange(usable)
        if usable > self.per_series_:  # spread evenly over the whole history
            starts = np.linspace(0, usable - 1, self.per_series_).round().astype(int)
        blocks = sliding_window_view(train_part, L + H)[starts] if usable else np.empty((0, L + H))
        return blocks[:, :L], blocks[:, L:], val[:, :L], val[:, L:], np.full(len(blocks), code), np.full(len(val), code)

    def _network(self, group: Group, steps: int):
        """The group's network, compiled to train for ``steps`` batches with a learning rate that decays along a cosine.
        Keras' own LSTM layer, not the fused training kernel the per-series LSTM uses: here an epoch is arithmetic, the
        kernel saved 13% of M4 Hourly's time, and M4 Weekly's OWA spread wider over seeds with it (BENCHMARKS.md)."""
        keras = keras_module()
        window = keras.Input(shape=(group.lookback, 1), name="window")
        h = keras.layers.LSTM(self.units, name="lstm_1")(window)
        inputs = [window]
        if self.embedding:
            code = keras.Input(shape=(1,), dtype="int32", name="series")
            vector = keras.layers.Flatten()(keras.layers.Embedding(len(group.ids), self.embedding, name="series_embedding")(code))
            h = keras.layers.Concatenate()([h, vector])
            inputs.append(code)
        out = keras.layers.Dense(self.horizon, name="forecast")(h)
        model = keras.Model(inputs if self.embedding else window, out, name=group.name)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=cosine_decay(self.learning_rate, steps), clipnorm=1.0), loss="mae")
        return model

    def _inputs(self, x_scaled: np.ndarray, codes: np.ndarray):
        return [x_scaled, codes.reshape(-1, 1).astype("int32")] if self.embedding else x_scaled

    def _groups(self, panel: dict[str, pd.Series], lookback: int) -> list[Group]:
        """The series grouped by the season their base forecast repeats (the batch's season first)."""
        first = next(iter(panel.values()))
        freq = getattr(first.index, "freqstr", None) if isinstance(first.index, pd.DatetimeIndex) else None
        candidates = base_candidates(self.season, freq, max(len(s) for s in panel.values())) if self.choose_base else (self.season,)
        # A longer cycle only for series long enough to give 10 training windows of its lookback on their own, so that
        # every group can train whichever series choose it (shorter ones keep the season, padded if need be).
        fits = {c: max(lookback, c) + self.horizon + held_out(self.horizon) + 9 for c in candidates}
        chosen = {sid: choose_period(s.to_numpy(dtype=float), tuple(c for c in candidates if c == self.season or len(s) >= fits[c]),
                                     self.horizon) for sid, s in panel.items()}
        return [Group(period, max(lookback, period), [sid for sid in panel if chosen[sid] == period])
                for period in candidates if period in chosen.values()]

    # ------------------------------------------------------------------ fit
    def _fit(self, series, covariates, *, on_progress, on_epoch) -> None:
        if self.epochs < 1:
            raise DataError(Text("The global LSTM needs at least 1 epoch of training."))
        panel = as_panel(series)
        self.ids_ = list(panel)
        lookback = int(self.lookback) if self.lookback else global_lookback(self.season, self.horizon)
        if lookback < 2:
            raise DataError(Text("The global LSTM lookback must be at least 2 steps."))
        self.groups_ = self._groups(panel, lookback)
        # Up to 400 windows a series, and about 50,000 windows of the batch's lookback in all (fewer when some series
        # read longer windows): an epoch stays near a minute on 2 cores however many series.
        steps_read = sum(g.lookback * len(g.ids) for g in self.groups_)
        self.per_series_ = self.windows_per_series or int(np.clip(MAX_WINDOWS * lookback // steps_read, 50, 400))
        self.batch_size_ = None
        done = 0
        for g in self.groups_:
            share = len(g.ids) / len(self.ids_)
            progress = (lambda fraction, message, done=done, share=share: on_progress(done + share * fraction, message))
            self._fit_group(g, {sid: panel[sid] for sid in g.ids}, progress, on_epoch)
            done += share

    def _fit_group(self, g: Group, panel: dict[str, pd.Series], on_progress, on_epoch) -> None:
        parts = [self._windows(s.to_numpy(dtype=float), i, g.lookback) for i, s in enumerate(panel.values())]
        x, y, x_val, y_val, codes, codes_val = (np.concatenate([p[k] for p in parts]) for k in range(6))
        if not np.all(np.isfinite(x)) or not np.all(np.isfinite(y)):
            raise DataError(Text("The global LSTM needs series without gaps; fill them first."))
        if len(x) < 10:
            raise DataError(Text("The series give only {count} training windows of {lookback} + {horizon} steps; at least 10 are "
                                 "needed. Use a shorter horizon or longer series.", count=len(x), lookback=g.lookback, horizon=self.horizon))
        xs, _, scale = normalise(x, self.season)
        ys = ((y - seasonal_base(x, g.period, self.horizon)) / scale[:, None]).astype("float32")
        xv, _, scale_v = normalise(x_val, self.season)
        yv = ((y_val - seasonal_base(x_val, g.period, self.horizon)) / scale_v[:, None]).astype("float32")

        # Enough steps per epoch on small panels, large batches on large ones.
        batch_size = self.batch_size or int(np.clip(len(x) // 40, 32, 256))
        self.batch_size_ = max(self.batch_size_ or 0, batch_size)
        steps = self.epochs * math.ceil(len(x) / batch_size)  # the batches of a whole training, for the rate's decay
        g.network, val_pred, g.training = train_network(
            lambda: self._network(g, steps), self._inputs(xs, codes), ys, (self._inputs(xv, codes_val), yv),
            epochs=self.epochs, patience=self.patience, batch_size=batch_size, seed=self.seed, device=self.device,
            warm_up=WARM_UP, label=self.name, on_progress=on_progress, on_epoch=on_epoch)
        g.windows = len(x)
        # Intervals: conformal half-widths on the window scale, from every series' validation windows (so many that
        # each step's own quantile is steady: kept as it is, see conformal_width).
        g.width = conformal_width(np.abs(val_pred - yv), self.level, never_narrower=False)

    # ------------------------------------------------------------------ read
    def group_of(self, sid: str) -> Group:
        return next(g for g in self.groups_ if sid in g.ids)

    def base_note(self, sid: str) -> Text | None:
        """Which base this series' forecast corrects, and why, when the batch's series were given different ones."""
        if len(self.groups_) < 2 or sid not in self.ids_:
            return None
        g = self.group_of(sid)
        return Text("Base forecast for {series}: {base}, of the cycles its frequency offers the one whose seasonal naive forecast "
                    "the last {folds} horizons of its training part better; {count} of the batch's {total} series share it and "
                    "its network.", series=sid, base=base_words(g.period), folds=FOLDS, count=len(g.ids), total=len(self.ids_))

    @property
    def training_(self) -> Training:
        """The largest group's training (what the batch shows of epochs and seconds), with every group's seconds."""
        main = max(self.groups_, key=lambda g: g.windows)
        return Training(history=main.training.history, epoch_seconds=main.training.epoch_seconds,
                        seconds=sum(g.training.seconds for g in self.groups_), device=main.training.device)

    # ------------------------------------------------------------------ predict
    def _predict(self, horizon: int):
        """Forecasts of every series from its last ``lookback`` values ({id: Forecast}, or one Forecast for one series)."""
        if horizon > self.horizon:
            raise DataError(Text("This global LSTM forecasts {horizon} steps; it cannot forecast {horizon2}.", horizon=self.horizon, horizon2=horizon))
        panel = as_panel(self.series_)
        out = {}
        for g in self.groups_:
            last = np.stack([_padded(panel[sid].to_numpy(dtype=float), g.lookback)[-g.lookback:] for sid in g.ids])
            xs, _, scale = normalise(last, self.season)
            scaled = predict_network(g.network, self._inputs(xs, np.arange(len(last))), g.training.device)
            mean = scaled * scale[:, None] + seasonal_base(last, g.period, self.horizon)
            half = g.width[None, :] * scale[:, None]
            for i, sid in enumerate(g.ids):
                m = mean[i, :horizon]
                out[sid] = Forecast(future_index(panel[sid], horizon), m, m - half[i, :horizon], m + half[i, :horizon], self.name, self.level)
        out = {sid: out[sid] for sid in self.ids_}
        return out if isinstance(self.series_, dict) else out[self.ids_[0]]

    def network(self):
        """The trained network; with several groups, one Keras model holding each group's network (to save in one file)."""
        if len(self.groups_) == 1:
            return self.groups_[0].network
        keras = keras_module()
        inputs, outputs = [], []
        for g in self.groups_:
            mine = [keras.Input(shape=tuple(t.shape[1:]), dtype=t.dtype, name=f"{g.name}_{k}") for k, t in enumerate(g.network.inputs)]
            outputs.append(g.network(mine if len(mine) > 1 else mine[0]))
            inputs += mine
        return keras.Model(inputs, outputs, name="global_lstm_groups")

    def state(self) -> dict:
        """Everything besides the Keras weights needed to forecast again and to look inside."""
        groups = [{"period": g.period, "lookback": g.lookback, "ids": g.ids, "windows": g.windows, "width": g.width.tolist(),
                   "history": g.training.history, "epoch_seconds": g.training.epoch_seconds, "train_seconds": g.training.seconds,
                   "device": g.training.device} for g in self.groups_]
        return {"config": self.settings(), "ids": self.ids_, "batch_size": self.batch_size_, "groups": groups}

    @classmethod
    def restore(cls, state: dict, network, series: dict[str, pd.Series]) -> "GlobalLSTM":
        """A fitted global LSTM again, from its state, its network and the training parts of its series."""
        model = cls(**state["config"])
        model.ids_, model.batch_size_ = [str(i) for i in state["ids"]], state.get("batch_size")
        # Batches saved before the base season was chosen per series hold one group's fields at the top.
        saved = state.get("groups") or [{**state, "period": model.season}]
        model.groups_ = []
        for part in saved:
            g = Group(int(part["period"]), int(part["lookback"]), [str(i) for i in part["ids"]], windows=int(part["windows"]),
                      width=np.asarray(part["width"], dtype=float),
                      training=Training(history=part["history"], epoch_seconds=float(part["epoch_seconds"]),
                                        seconds=float(part["train_seconds"]), device=part["device"]))
            g.network = network if len(saved) == 1 else network.get_layer(g.name)
            model.groups_.append(g)
        model.series_ = {sid: series[sid] for sid in model.ids_}
        return model

    def describe(self) -> str:
        t = self.training_
        fields = dict(units=self.units, series=len(self.ids_), windows=sum(g.windows for g in self.groups_), epochs=t.epochs_run,
                      seconds=t.epoch_seconds, device=t.device)
        bases = None
        for g in self.groups_:
            part = Text("{base} for {count} series (lookback {lookback})", count=len(g.ids), base=base_words(g.period), lookback=g.lookback)
            bases = part if bases is None else Text("{first}; {then}", first=bases, then=part)
        if self.embedding:
            return Text("global LSTM 1×{units}, series embedding {embedding}, {series} series, {windows:,} windows, {epochs} "
                        "epochs, {seconds:.2f} s/epoch on {device}; base forecast: {bases}", embedding=self.embedding, bases=bases, **fields)
        return Text("global LSTM 1×{units}, {series} series, {windows:,} windows, {epochs} epochs, {seconds:.2f} s/epoch on "
                    "{device}; base forecast: {bases}", bases=bases, **fields)


class SeriesView:
    """The trained global network seen from one of its series: what Inside the LSTM reads (core.lens.probes).

    The network is the one that made this series' forecast (its group's: the series whose base forecast repeats the
    same season share one); only the windows are this series'. A window is
    shifted by its last value and divided by its own scale before the network reads it, and the network's
    output is mapped back with the same two numbers onto the window's base forecast.
    """

    members_ = 1
    median_member_ = 0
    shrink_ = 1.0
    cell = "LSTM"
    covariate_names_: list[str] = []

    def __init__(self, model: GlobalLSTM, sid: str):
        if sid not in model.ids_:
            raise DataError(Text("Series '{sid}' was not among the series this global LSTM was trained on.", sid=str(sid)[:40]))
        self.model, self.sid, self.group = model, sid, model.group_of(sid)
        self.code = self.group.ids.index(sid)
        self.lookback_, self.horizon, self.training_ = self.group.lookback, model.horizon, self.group.training
        values = as_panel(model.series_)[sid].to_numpy(dtype=float)
        period = self.group.period  # a group's lookback always holds its period
        # What the probes read of a scaling: the series' spread (to size nudges) and one input channel per window.
        self.scaling_ = Scaling(mean=float(np.mean(values)), scale=float(np.std(values)) or 1.0, cov_mean=np.zeros(0),
                                cov_scale=np.ones(0), period=period, per_window=True, level_channel=False)

    def network(self):
        return self.group.network

    def network_inputs(self, x: np.ndarray):
        """The network's inputs for prepared windows of this series (with its code, when the network learned one)."""
        return self.model._inputs(x, np.full(len(x), self.code))

    def prepare(self, values: np.ndarray, covariates: np.ndarray | None = None) -> Prepared:
        """Every window of ``lookback`` steps, scaled as the global network reads it."""
        windows = sliding_window_view(np.asarray(values, dtype=float), self.lookback_)
        x, _, scale = normalise(windows, self.model.season)
        return Prepared(x, seasonal_base(windows, self.group.period, self.horizon), scale)

    def forecast_window(self, prepared: Prepared) -> np.ndarray:
        return prepared.to_values(predict_network(self.group.network, self.network_inputs(prepared.x), self.training_.device))

    def forecast_after(self, series: pd.Series, horizon: int) -> Forecast:
        """The batch's network forecasting ``horizon`` steps past the end of ``series`` (this series, all of it), with the
        intervals it learned: what "forecast the future" means for a series of a batch, without training anew."""
        if horizon > self.horizon:
            raise DataError(Text("The batch's network forecasts {horizon} steps; it cannot forecast {horizon2}.", horizon=self.horizon, horizon2=horizon))
        last = _padded(series.to_numpy(dtype=float), self.lookback_)[-self.lookback_:]
        prepared = self.prepare(last)
        mean = self.forecast_window(prepared)[0, :horizon]
        half = self.group.width[:horizon] * prepared.spread[0]
        return Forecast(future_index(series, horizon), mean, mean - half, mean + half, self.model.name, self.model.level)

    def output_recipe(self) -> str:
        base, lag = base_words(self.scaling_.period), change_lag(self.model.season, self.lookback_)
        if self.model.embedding:
            return Text("forecast = the window's base forecast ({base}) + network output × the window's own scale; the network "
                        "reads the window shifted by its last value and divided by that scale (the geometric mean of its spread "
                        "and its mean change over {lag} steps), and this series' learned vector", base=base, lag=lag)
        return Text("forecast = the window's base forecast ({base}) + network output × the window's own scale; the network reads "
                    "the window shifted by its last value and divided by that scale (the geometric mean of its spread and its "
                    "mean change over {lag} steps)", base=base, lag=lag)

    def describe(self) -> str:
        return Text("{model}; looking at series {series}", model=self.model.describe(), series=self.sid)


def as_panel(series) -> dict[str, pd.Series]:
    """A mapping id -> series as it is; one series as a panel of one."""
    return series if isinstance(series, dict) else {str(series.name): series}
