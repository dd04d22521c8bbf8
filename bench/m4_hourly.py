"""M4 Hourly, all 414 series, through the batch CLI: our sMAPE / MASE / OWA next to the published benchmarks.

    python -m bench.m4_hourly [--models naive,snaive,naive2,regression,arima,global_lstm] [--limit N] [--scheduler local]

The M4 training and test parts are joined into one long-format file; the batch command
holds out the last 48 points of each series, which is exactly M4's test part.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
M4 = ROOT / "tests" / "data" / "m4"
PUBLISHED = ["sNaive", "Naive2", "Theta", "MLP", "RNN", "SES", "Damped"]


def hourly_long(ids=None, limit: int | None = None) -> pd.DataFrame:
    """M4 Hourly in long format, each series' training part followed by its test part (the last 48 points)."""
    from core.data.m4 import read_m4, to_long

    data = read_m4(M4 / "Hourly-train.csv", M4 / "Hourly-test.csv")
    chosen = list(data)[:limit] if ids is None else list(ids)
    return to_long({sid: data[sid] for sid in chosen}, with_test=True)


def long_file(limit: int | None, folder: Path) -> Path:
    path = folder / "m4_hourly_long.csv"
    hourly_long(limit=limit).to_csv(path, index=False)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default="naive,snaive,naive2,regression,arima,global_lstm")
    parser.add_argument("--limit", type=int, default=None, help="first N series only")
    parser.add_argument("--scheduler", default="local", help="local (Dask on this machine), serial, or tcp://HOST:PORT")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = long_file(args.limit, folder)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "core", "batch", str(data), "--horizon", "48", "--season", "24",
                        "--models", args.models, "--scheduler", args.scheduler, "--out", str(folder / "out")], cwd=ROOT, check=True,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        ours = pd.read_csv(folder / "out" / "summary.csv")
    published = pd.read_csv(M4 / "m4_benchmarks_point_by_frequency.csv").dropna(subset=["sMAPE_Hourly"])
    published = published[published["Method"].isin(PUBLISHED)][["Method", "sMAPE_Hourly", "MASE_Hourly", "OWA_Hourly"]]
    published.columns = ["model", "sMAPE", "MASE", "OWA"]
    published["source"] = "published (M4)"
    ours["source"] = f"LSTM Lens ({int(ours['series'].max())} series)"
    table = pd.concat([ours[["model", "sMAPE", "MASE", "OWA", "fit s", "source"]], published], ignore_index=True)
    with pd.option_context("display.width", 140, "display.float_format", "{:.3f}".format):
        print(table.sort_values("OWA").to_string(index=False))
    print(f"\nwall time of the batch command: {wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
