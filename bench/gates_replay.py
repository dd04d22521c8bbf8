"""Gate replay: our vectorised NumPy replay vs stepping a Keras LSTM cell with keras.ops, side by side.

    python -m bench.gates_replay [--steps 10000] [--lookback 168] [--units 64]

A full-history trace: one window ending at every step of a series. Both sides compute every
gate at the last step of every window from the same weights; the table shows agreement and
the speed ratio measured in this one run.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def keras_reference(model, windows: np.ndarray) -> dict[str, np.ndarray]:
    """Step the trained layer's own cell over time with keras.ops, computing the gates it uses."""
    import keras
    from keras import ops

    layer = next(layer for layer in model.layers if layer.__class__.__name__ == "LSTM")
    cell = layer.cell
    u = cell.units
    x = ops.convert_to_tensor(windows)
    n = windows.shape[0]
    h = ops.zeros((n, u))
    c = ops.zeros((n, u))
    for t in range(windows.shape[1]):
        z = ops.matmul(x[:, t], cell.kernel) + ops.matmul(h, cell.recurrent_kernel) + cell.bias
        i = ops.sigmoid(z[:, :u])
        f = ops.sigmoid(z[:, u:2 * u])
        g = ops.tanh(z[:, 2 * u:3 * u])
        o = ops.sigmoid(z[:, 3 * u:])
        c = f * c + i * g
        h = o * ops.tanh(c)
        # the cell itself must agree with our formulas at every step
        if t == 0:
            h_cell, _ = cell(x[:, t], [ops.zeros((n, u)), ops.zeros((n, u))])
            assert np.allclose(keras.ops.convert_to_numpy(h_cell), keras.ops.convert_to_numpy(h), atol=1e-5)
    to_np = keras.ops.convert_to_numpy
    return {"input": to_np(i), "forget": to_np(f), "candidate": to_np(g), "cell": to_np(c), "output": to_np(o), "hidden": to_np(h)}


def run(steps: int, lookback: int, units: int) -> dict:
    import keras
    from numpy.lib.stride_tricks import sliding_window_view

    from core.lens import gates

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(lookback, 2))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(units)(inputs)))
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(0, 1, steps)) / 10
    windows = np.stack([sliding_window_view(series, lookback), sliding_window_view(np.sin(np.arange(steps) / 24), lookback)], axis=-1).astype("float32")
    weights = gates.recurrent_weights(model)
    gates.replay(weights, windows[:64], keep="last")  # warm-up
    t0 = time.perf_counter()
    ours = gates.replay(weights, windows, keep="last")[0]
    ours_s = time.perf_counter() - t0
    keras_reference(model, windows[:64])  # warm-up
    t0 = time.perf_counter()
    ref = keras_reference(model, windows)
    ref_s = time.perf_counter() - t0
    worst = max(float(np.abs(ours.get(q)[:, 0] - ref[q]).max()) for q in gates.QUANTITIES)
    return {"windows": len(windows), "lookback": lookback, "units": units, "ours_s": ours_s, "keras_s": ref_s,
            "speedup": ref_s / ours_s, "max_abs_diff": worst}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--lookback", type=int, default=168)
    parser.add_argument("--units", type=int, default=64)
    args = parser.parse_args(argv)
    result = run(args.steps, args.lookback, args.units)
    print(f"gate replay, {result['windows']:,} windows x {result['lookback']} steps x {result['units']} units (full-history trace)")
    print(f"  NumPy replay (ours)        {result['ours_s']:8.2f} s")
    print(f"  Keras cell stepped (ops)   {result['keras_s']:8.2f} s")
    print(f"  ratio keras / ours         {result['speedup']:8.2f} x   (max |difference| {result['max_abs_diff']:.1e})")
    return result


if __name__ == "__main__":
    main()
