"""One LSTM for many series: trained on windows from all of them, each window on its own scale.

A per-series LSTM learns from a few hundred windows of one series and costs a training per
series. The global model pools windows from every series, so it trains once and each series
borrows the patterns of the others. To make series of different sizes comparable, every
window is shifted by its last value and divided by its own spread; the network predicts the
next ``horizon`` steps on that scale and the forecast is mapped back with the same two
numbers. An optional embedding gives each series a learned vector of its own.

Keras is imported inside fit/predict only.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from core.errors import DataError
from core.models.base import Forecast, check_horizon, future_index, no_progress
from core.models.lstm import _deterministic, _keras, conformal_width, epoch_report
from core.models.windows import default_lookback


VALIDATION_WINDOWS = 4
MAX_WINDOWS = 50_000
WARM_UP = 8  # epochs before early stopping may act: small panels sit on a plateau first


def window_scale(windows: np.ndarray) -> np.ndarray:
    """Each window's own spread (standard deviation); flat windows fall back to their level, then to 1."""
    spread = windows.std(axis=-1)
    level = np.abs(windows).mean(axis=-1)
    flat = spread <= 1e-8 * (level + 1.0)
    return np.where(flat, np.where(level > 0, level, 1.0), spread)


def normalise(windows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows (N, L) -> scaled windows (N, L, 1), anchors (N,) and scales (N,)."""
    anchor = windows[:, -1]
    scale = window_scale(windows)
    return ((windows - anchor[:, None]) / scale[:, None])[..., None].astype("float32"), anchor, scale


def seasonal_base(windows: np.ndarray, season: int, horizon: int) -> np.ndarray:
    """The seasonal naive forecast of each window (N, L) -> (N, H): what the network corrects."""
    period = season if 1 < season <= windows.shape[1] else 1
    reps = int(np.ceil(horizon / period))
    return np.tile(windows[:, -period:], reps)[:, :horizon]


def _padded(values: np.ndarray, length: int) -> np.ndarray:
    """Series shorter than one window are padded on the left with their first value."""
    return values if len(values) >= length else np.pad(values, (length - len(values), 0), mode="edge")


class GlobalLSTM:
    """Fit on a dict of series (id -> pd.Series with a regular DatetimeIndex); forecast all of them."""

    name = "Global LSTM"

    def __init__(self, horizon: int, season: int = 1, lookback: int | None = None, units: int = 64, embedding: int = 0,
                 epochs: int = 30, patience: int = 6, batch_size: int | None = None, windows_per_series: int | None = None,
                 learning_rate: float = 2e-3, seed: int = 0, level: float = 0.9, device: str | None = None):
        self.horizon = check_horizon(horizon)
        self.season = int(season)
        self.lookback = lookback
        self.units = int(units)
        self.embedding = int(embedding)
        self.epochs = int(epochs)
        self.patience = int(patience)
        self.batch_size = int(batch_size) if batch_size else None
        self.windows_per_series = int(windows_per_series) if windows_per_series else None
        self.learning_rate = float(learning_rate)
        self.seed = int(seed)
        self.level = float(level)
        self.device = device

    # ------------------------------------------------------------------ data
    def _windows(self, values: np.ndarray, code: int):
        """Training and validation windows of one series.

        Validation: ``VALIDATION_WINDOWS`` windows whose forecasts end at the series' end and a quarter-horizon
        apart; training: up to ``windows_per_series`` windows, evenly spread, whose futures end before any
        validation future begins.
        """
        L, H = self.lookback_, self.horizon
        step = max(1, H // 4)
        cut = H + (VALIDATION_WINDOWS - 1) * step
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

    def _network(self, n_series: int):
        keras = _keras()
        window = keras.Input(shape=(self.lookback_, 1), name="window")
        h = keras.layers.LSTM(self.units, name="lstm_1")(window)
        inputs = [window]
        if self.embedding:
            code = keras.Input(shape=(1,), dtype="int32", name="series")
            vector = keras.layers.Flatten()(keras.layers.Embedding(n_series, self.embedding, name="series_embedding")(code))
            h = keras.layers.Concatenate()([h, vector])
            inputs.append(code)
        out = keras.layers.Dense(self.horizon, name="forecast")(h)
        model = keras.Model(inputs if self.embedding else window, out, name="global_lstm")
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=self.learning_rate, clipnorm=1.0), loss="mae")
        return model

    def _inputs(self, x_scaled: np.ndarray, codes: np.ndarray):
        return [x_scaled, codes.reshape(-1, 1).astype("int32")] if self.embedding else x_scaled

    # ------------------------------------------------------------------ fit
    def fit(self, series: dict[str, pd.Series], on_progress=no_progress) -> "GlobalLSTM":
        if not series:
            raise DataError("The global LSTM needs at least one series.")
        if self.epochs < 1:
            raise DataError("The global LSTM needs at least 1 epoch of training.")
        keras = _keras()
        self.ids_ = list(series)
        self.series_ = series
        self.lookback_ = int(self.lookback) if self.lookback else min(max(default_lookback(self.season, self.horizon, 10 ** 6), 4 * self.season), 336)
        if self.lookback_ < 2:
            raise DataError("The global LSTM lookback must be at least 2 steps.")
        # Up to 400 windows a series, and about 50,000 in all: an epoch stays near a minute on 2 cores however many series.
        self.per_series_ = self.windows_per_series or int(np.clip(MAX_WINDOWS // len(series), 50, 400))
        parts = [self._windows(s.to_numpy(dtype=float), i) for i, s in enumerate(series.values())]
        x = np.concatenate([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        x_val = np.concatenate([p[2] for p in parts])
        y_val = np.concatenate([p[3] for p in parts])
        codes, codes_val = np.concatenate([p[4] for p in parts]), np.concatenate([p[5] for p in parts])
        if not np.all(np.isfinite(x)) or not np.all(np.isfinite(y)):
            raise DataError("The global LSTM needs series without gaps; fill them first.")
        if len(x) < 10:
            raise DataError(f"The series give only {len(x)} training windows of {self.lookback_} + {self.horizon} steps; "
                            "at least 10 are needed. Use a shorter horizon or longer series.")
        xs, _, scale = normalise(x)
        ys = ((y - seasonal_base(x, self.season, self.horizon)) / scale[:, None]).astype("float32")
        xv, _, scale_v = normalise(x_val)
        yv = ((y_val - seasonal_base(x_val, self.season, self.horizon)) / scale_v[:, None]).astype("float32")

        # Enough steps per epoch on small panels, large batches on large ones.
        self.batch_size_ = self.batch_size or int(np.clip(len(x) // 40, 32, 256))
        keras.utils.set_random_seed(self.seed)
        _deterministic(keras)
        self.device_ = self.device or "cpu:0"
        report = epoch_report(keras, self.epochs, "global LSTM", on_progress)
        history, epoch_times = report.history, report.seconds

        started = time.perf_counter()
        with keras.device(self.device_):
            model = self._network(len(self.ids_))
            model.fit(self._inputs(xs, codes), ys, validation_data=(self._inputs(xv, codes_val), yv), epochs=self.epochs,
                      batch_size=self.batch_size_, shuffle=True, verbose=0,
                      callbacks=[report, keras.callbacks.EarlyStopping(monitor="val_loss", patience=self.patience,
                                                                         restore_best_weights=True, start_from_epoch=WARM_UP)])
            if not np.all(np.isfinite(history["loss"])):
                raise DataError("Global LSTM training diverged (the loss became NaN or infinite). Lower the learning rate.")
            val_pred = np.asarray(keras.ops.convert_to_numpy(model(self._inputs(xv, codes_val), training=False)), dtype=float)
        self.train_seconds_ = time.perf_counter() - started
        self.epoch_seconds_ = float(np.median(epoch_times)) if epoch_times else float("nan")
        self.epochs_run_ = len(history["loss"])
        self.history_ = history
        self.windows_ = len(x)
        # Intervals: conformal half-widths on the window scale, from each series' validation window.
        self.width_ = conformal_width(np.abs(val_pred - yv), self.level)
        self.model_ = model
        return self

    # ------------------------------------------------------------------ predict
    def predict(self, horizon: int | None = None) -> dict[str, Forecast]:
        """Forecasts of every series from its last ``lookback`` values."""
        horizon = self.horizon if horizon is None else check_horizon(horizon)
        if horizon > self.horizon:
            raise DataError(f"This global LSTM forecasts {self.horizon} steps; it cannot forecast {horizon}.")
        keras = _keras()
        last = np.stack([_padded(s.to_numpy(dtype=float), self.lookback_)[-self.lookback_:] for s in self.series_.values()])
        xs, _, scale = normalise(last)
        with keras.device(self.device_):
            scaled = np.asarray(keras.ops.convert_to_numpy(self.model_(self._inputs(xs, np.arange(len(last))), training=False)), dtype=float)
        mean = scaled * scale[:, None] + seasonal_base(last, self.season, self.horizon)
        half = self.width_[None, :] * scale[:, None]
        out = {}
        for i, (sid, s) in enumerate(self.series_.items()):
            m = mean[i, :horizon]
            out[sid] = Forecast(future_index(s, horizon), m, m - half[i, :horizon], m + half[i, :horizon], self.name, self.level)
        return out

    def describe(self) -> str:
        emb = f", series embedding {self.embedding}" if self.embedding else ""
        return (f"global LSTM 1×{self.units}{emb}, lookback {self.lookback_}, {len(self.ids_)} series, {self.windows_:,} windows, "
                f"{self.epochs_run_} epochs, {self.epoch_seconds_:.2f} s/epoch on {self.device_}")
