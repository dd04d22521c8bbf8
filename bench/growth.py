"""How time and memory grow: each model as one series grows (1k, 10k, 100k points), and a batch as the series multiply (1, 10, 100).

    python -m bench.growth [--lengths 1000,10000,100000] [--counts 1,10,100] [--cap 300]

Every measurement runs in a fresh process, so its peak memory (the process's maximum resident
set, less what it held after the imports) is its own. A run over --cap seconds is stopped and
shown as '> cap'. The series are synthetic hourly values (a daily cycle, a trend, noise), so
any length can be made; season 24. The LSTM trains a fixed 3 epochs here, to show how an
epoch grows; its default training runs until early stopping.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ["naive", "snaive", "regression", "arima", "lstm"]
BATCH_MODELS = ["snaive", "regression", "arima", "global_lstm"]

_CHILD = r"""
import json, resource, sys, time, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, pandas as pd
mode, model, size = sys.argv[1], sys.argv[2], int(sys.argv[3])

def series(n, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    y = 100 + 0.001 * t + 10 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 2, n)
    return pd.Series(y, index=pd.date_range("2000-01-01", periods=n, freq="h"))

from core.evaluation.holdout import ModelSpec, fit_predict
from core.batch.panel import run_batch
if model in ("lstm", "global_lstm"):
    import keras  # imported before the baseline so its memory is not counted as the model's
params = {"epochs": 3, "patience": 10} if model in ("lstm", "global_lstm") else {}
if mode == "length":
    y = series(size, 0)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = fit_predict(ModelSpec(model, params), y, None, 48, season=24, level=0.9)
    seconds = time.perf_counter() - started
    error = result.error
else:
    frame = pd.concat([series(1000, i).rename("y").rename_axis("ds").reset_index().assign(unique_id=f"s{i}") for i in range(size)])
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_batch(frame, [ModelSpec(model, params)], 48, 24, scheduler="serial")
    seconds = time.perf_counter() - started
    bad = result.metrics[result.metrics["error"] != ""]
    error = None if bad.empty else bad["error"].iloc[0]
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "error": error}))
"""


def measure(mode: str, model: str, size: int, cap: int) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, mode, model, str(size)], cwd=ROOT, capture_output=True, text=True,
                              timeout=cap)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mb": None, "error": f"> {cap} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"seconds": None, "peak_mb": None, "error": (done.stderr.strip().splitlines() or ["failed"])[-1][:80]}
    return json.loads(lines[-1])


def cell(result: dict) -> str:
    if result["seconds"] is None:
        return result["error"]
    text = f"{result['seconds']:.2f} s / {result['peak_mb']:.0f} MB"
    return text + (" (failed)" if result["error"] else "")


def table(mode: str, models: list[str], sizes: list[int], cap: int, label: str) -> list[dict]:
    rows = []
    for model in models:
        row = {"model": model}
        for size in sizes:
            result = measure(mode, model, size, cap)
            row[f"{label} {size:,}"] = cell(result)
            row[f"_{size}"] = result["seconds"]
            print(f"  {model} {label} {size:,}: {cell(result)}", file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def growth_factor(row: dict, sizes: list[int]) -> str:
    first, last = row.get(f"_{sizes[0]}"), row.get(f"_{sizes[-1]}")
    if not first or not last:
        return "—"
    return f"×{last / first:.0f} for ×{sizes[-1] // sizes[0]} data"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", default="1000,10000,100000")
    parser.add_argument("--counts", default="1,10,100")
    parser.add_argument("--cap", type=int, default=300, help="seconds before one measurement is stopped")
    parser.add_argument("--models", default=",".join(MODELS), help="models for the length table")
    parser.add_argument("--batch-models", default=",".join(BATCH_MODELS), help="models for the series-count table")
    args = parser.parse_args(argv)
    lengths = [int(v) for v in args.lengths.split(",")]
    counts = [int(v) for v in args.counts.split(",")]
    import pandas as pd

    print("One series of growing length: fit + forecast of 48 steps (time / peak memory above the imports)")
    rows = table("length", args.models.split(","), lengths, args.cap, "points")
    for row in rows:
        row["growth"] = growth_factor(row, lengths)
    print(pd.DataFrame(rows)[[c for c in rows[0] if not c.startswith("_")]].to_string(index=False))
    print("\nA batch of growing size: series of 1,000 hourly points, holdout of 48, this process (serial)")
    rows = table("count", args.batch_models.split(","), counts, args.cap, "series")
    for row in rows:
        row["growth"] = growth_factor(row, counts)
    print(pd.DataFrame(rows)[[c for c in rows[0] if not c.startswith("_")]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
