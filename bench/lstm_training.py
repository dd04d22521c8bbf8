"""LSTM training: our forecaster vs a plain Keras script of the same architecture on the same windows.

    python -m bench.lstm_training [--samples airline,electricity]

The plain script is what a user would write: Keras defaults (batch 32, Adam at 1e-3), early
stopping on the same validation windows with the same patience. Ours uses its defaults (batch
size chosen from the number of windows, Adam at 3e-3 with clipping). Printed: seconds per epoch
and holdout MASE of each, and their ratios, measured in this one run.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def load(key):
    from core.data import detect_columns, read_table, to_series
    from core.data.samples import get_sample

    sample = get_sample(key)
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    clean = to_series(frame, date=guess.date, target=guess.target)
    return clean.y, clean.season, sample.horizon


def plain_keras(train_values, lookback, horizon, units, patience, epochs, seed=0):
    import keras

    from core.models.windows import Scaling, input_windows, training_pairs

    n_windows = len(train_values) - lookback - horizon + 1
    n_val = max(1, round(n_windows * 0.2))
    n_train = n_windows - n_val
    scaling = Scaling.fit(train_values[: n_train + lookback + horizon - 1], None)
    prepared, y = training_pairs(train_values, None, lookback, horizon, scaling)
    x = prepared.x
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(lookback, x.shape[-1]))
    model = keras.Model(inputs, keras.layers.Dense(horizon)(keras.layers.LSTM(units)(inputs)))
    model.compile(optimizer="adam", loss="mse")
    times = []

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.t)

    model.fit(x[:n_train], y[:n_train], validation_data=(x[n_train:], y[n_train:]), epochs=epochs, verbose=0,
              callbacks=[Clock(), keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)])
    last = input_windows(train_values[-lookback:], None, lookback, horizon, scaling)
    forecast = last.to_values(keras.ops.convert_to_numpy(model(last.x, training=False)))[0]
    return float(np.median(times)), len(times), forecast


def main(argv=None):
    from core.evaluation import metrics as M
    from core.models.lstm import LSTMForecaster

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default="airline,electricity")
    args = parser.parse_args(argv)
    print(f"{'sample':12s} {'ours s/epoch':>12s} {'plain s/epoch':>13s} {'ratio':>6s} {'ours MASE':>9s} {'plain MASE':>10s} {'epochs ours/plain':>17s}")
    for key in args.samples.split(","):
        y, season, horizon = load(key)
        train, test = y.iloc[:-horizon], y.iloc[-horizon:]
        ours = LSTMForecaster(horizon=horizon, season=season).fit(train)
        ours_mase = M.mase(test, ours.predict(horizon).mean, train, season)
        plain_s, plain_epochs, plain_forecast = plain_keras(train.to_numpy(float), ours.lookback_, horizon, ours.units, ours.patience, ours.epochs)
        plain_mase = M.mase(test, plain_forecast, train, season)
        print(f"{key:12s} {ours.training_.epoch_seconds:12.3f} {plain_s:13.3f} {plain_s / ours.training_.epoch_seconds:5.2f}x {ours_mase:9.3f} {plain_mase:10.3f} "
              f"{ours.training_.epochs_run:>8d}/{plain_epochs:<8d}")


if __name__ == "__main__":
    main()
