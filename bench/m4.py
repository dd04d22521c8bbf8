"""M4 Hourly (414 series) or Weekly (359) through the batch CLI: our sMAPE / MASE / OWA next to the published benchmarks.

    python -m bench.m4 [--frequency hourly|weekly] [--models naive,snaive,naive2,regression,arima,global_lstm] [--limit N]

Each series' M4 training part is followed by its test part in one long-format file; the batch command holds out
the last ``horizon`` points of each series, which is exactly M4's test part, and scores them as M4 did: Hourly with
season 24; Weekly with MASE against the one-step naive error and Naive2 without seasonal adjustment (m = 1).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
M4 = ROOT / "tests" / "data" / "m4"
PUBLISHED = ["sNaive", "Naive2", "Theta", "MLP", "RNN", "SES", "Damped"]


@dataclass(frozen=True)
class Frequency:
    name: str          # as in the M4 file names and score columns
    horizon: int
    season: int        # what the models use
    score_season: int  # what MASE and Naive2 use
    freq: str          # a pandas calendar for the long file
    models: str


FREQUENCIES = {
    "hourly": Frequency("Hourly", 48, 24, 24, "h", "naive,snaive,naive2,regression,arima,global_lstm"),
    # Weekly: M4's frequency 1 for the models too (a yearly season of 52.18 weeks does not repeat on a 52-week grid).
    "weekly": Frequency("Weekly", 13, 1, 1, "W-SUN", "naive,naive2,regression,arima,global_lstm"),
}


def m4_long(frequency: Frequency, ids=None, limit: int | None = None) -> pd.DataFrame:
    """The series in long format, each training part followed by its test part."""
    from core.data.m4 import read_m4, to_long

    data = read_m4(M4 / f"{frequency.name}-train.csv", M4 / f"{frequency.name}-test.csv")
    chosen = list(data)[:limit] if ids is None else list(ids)
    return to_long({sid: data[sid] for sid in chosen}, freq=frequency.freq, with_test=True)


def hourly_long(ids=None, limit: int | None = None) -> pd.DataFrame:
    return m4_long(FREQUENCIES["hourly"], ids, limit)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frequency", choices=list(FREQUENCIES), default="hourly")
    parser.add_argument("--models", default=None, help="comma-separated (default: the frequency's usual set)")
    parser.add_argument("--limit", type=int, default=None, help="first N series only")
    parser.add_argument("--scheduler", default="local", help="local (Dask on this machine), serial, or tcp://HOST:PORT")
    args = parser.parse_args(argv)
    frequency = FREQUENCIES[args.frequency]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "m4_long.csv"
        m4_long(frequency, limit=args.limit).to_csv(data, index=False)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "core", "batch", str(data), "--horizon", str(frequency.horizon),
                               "--season", str(frequency.season), "--score-season", str(frequency.score_season),
                               "--models", args.models or frequency.models, "--scheduler", args.scheduler,
                               "--out", str(folder / "out")], cwd=ROOT, check=True, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        ours = pd.read_csv(folder / "out" / "summary.csv")
        skipped = pd.read_csv(folder / "out" / "skipped.csv")
    notes = [line for line in done.stderr.splitlines() if line.startswith("global LSTM")]
    name = frequency.name
    published = pd.read_csv(M4 / "m4_benchmarks_point_by_frequency.csv").dropna(subset=[f"sMAPE_{name}"])
    published = published[published["Method"].isin(PUBLISHED)][["Method", f"sMAPE_{name}", f"MASE_{name}", f"OWA_{name}"]]
    published.columns = ["model", "sMAPE", "MASE", "OWA"]
    published["source"] = "published (M4)"
    ours["source"] = f"LSTM Lens ({int(ours['series'].max())} series)"
    table = pd.concat([ours[["model", "series", "sMAPE", "MASE", "OWA", "fit s", "source"]], published], ignore_index=True)
    print(f"M4 {name}: horizon {frequency.horizon}, models on season {frequency.season}, MASE and Naive2 on season "
          f"{frequency.score_season}; {len(skipped)} series skipped")
    with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
        print(table.sort_values("OWA").to_string(index=False))
    for note in notes:
        print(note)
    print(f"\nwall time of the batch command: {wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
