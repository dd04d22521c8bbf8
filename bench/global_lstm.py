"""Global LSTM (one network for all series) against a per-series LSTM (one network each), on the same M4 Hourly series.

    python -m bench.global_lstm [--series 12]

Both forecast M4's test part (48 hours) of the same evenly spaced series; per-series LSTMs run on
the local Dask cluster, the global LSTM trains once in this process. Accuracy as M4 measures it
(sMAPE, MASE, OWA against Naive2) and wall time side by side.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

from bench.m4 import hourly_long


def panel(count: int) -> pd.DataFrame:
    """``count`` evenly spaced M4 Hourly series (H1 … H414), training and test parts."""
    ids = [f"H{i}" for i in np.linspace(1, 414, count).round().astype(int)]
    return hourly_long(ids)


def main(argv=None) -> int:
    from core.batch.panel import run_batch
    from core.evaluation.holdout import ModelSpec

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", type=int, default=12)
    args = parser.parse_args(argv)
    frame = panel(args.series)
    rows = []
    for label, keys, scheduler in [("per-series LSTM (Dask, local)", ["lstm"], "local"), ("global LSTM", ["global_lstm"], "serial")]:
        started = time.perf_counter()
        result = run_batch(frame, [ModelSpec(k) for k in ["snaive", *keys]], 48, 24, scheduler=scheduler)
        wall = time.perf_counter() - started
        s = result.summary.set_index("model")
        name = "LSTM" if keys == ["lstm"] else "Global LSTM"
        rows.append({"approach": label, "series": int(s.loc[name, "series"]), "sMAPE": s.loc[name, "sMAPE"], "MASE": s.loc[name, "MASE"],
                     "OWA": s.loc[name, "OWA"], "fit s (all series)": s.loc[name, "fit s"], "wall s": wall,
                     "sNaive sMAPE": s.loc["Seasonal naive", "sMAPE"], "sNaive MASE": s.loc["Seasonal naive", "MASE"]})
        for note in result.notes:
            print(note)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    ratio = rows[0]["fit s (all series)"] / rows[1]["fit s (all series)"]
    print(f"\nthe global LSTM trains {ratio:.1f}x faster than one LSTM per series here (fitting seconds summed over the series)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
