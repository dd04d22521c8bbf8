"""Auto-ARIMA side by side: ours vs pmdarima's auto_arima vs statsforecast's AutoARIMA.

    python -m bench.arima_compare [--timeout 300] [--series airline,macro] [--tools ours,ours_exact,ours_kalman,statsforecast]

Six real series of different frequencies, each split into training part and holdout.
Every fit runs in its own process with a time limit; statsforecast's first call (numba
compilation) is reported apart from its warm calls. Needs requirements-bench.txt.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import time
import warnings

import numpy as np
import pandas as pd


def series_list():
    from bench.m4 import M4
    from core.data import detect_columns, read_table, to_series
    from core.data.m4 import read_m4
    from core.data.samples import SAMPLES

    out = []
    for s in SAMPLES:
        frame = read_table(s.read_bytes(), s.file)
        guess = detect_columns(frame)
        clean = to_series(frame, date=guess.date, target=guess.target)
        out.append((s.key, clean.y.to_numpy(float), clean.season, s.horizon, clean.freq))
    m4 = read_m4(M4 / "Hourly-train.csv", M4 / "Hourly-test.csv")
    for sid in ("H1", "H100"):
        train, test = m4[sid]
        out.append((f"M4 {sid}", np.r_[train, test], 24, 48, "h"))
    return out


def fit_ours(y, m, h, freq, **options):
    from core.models.arima import AutoARIMA

    series = pd.Series(y, index=pd.date_range("2000-01-01", periods=len(y), freq=freq))
    return AutoARIMA(season=m, **options).fit(series).predict(h).mean


def fit_ours_exact(y, m, h, freq):
    """Ours before the approximate search: every candidate on the exact likelihood."""
    return fit_ours(y, m, h, freq, approximate_search=False)


def fit_ours_kalman(y, m, h, freq):
    """Ours before the long-series search by conditional sum of squares: every candidate through the Kalman filter."""
    return fit_ours(y, m, h, freq, css_from=10**9)


def fit_pmdarima(y, m, h, freq):
    import pmdarima

    model = pmdarima.auto_arima(y, m=m, seasonal=m > 1, stepwise=True, suppress_warnings=True, error_action="ignore")
    return model.predict(h)


def fit_statsforecast(y, m, h, freq):
    from statsforecast.models import AutoARIMA

    return AutoARIMA(season_length=m).forecast(y=y.astype(float), h=h)["mean"]


TOOLS = {"ours": fit_ours, "ours_exact": fit_ours_exact, "ours_kalman": fit_ours_kalman, "pmdarima": fit_pmdarima, "statsforecast": fit_statsforecast}
WARM = ("ours", "ours_exact", "ours_kalman", "statsforecast")  # timed twice in one process: first (imports, compilation) and warm


def _worker(tool, y, m, h, freq, queue, repeats):
    warnings.simplefilter("ignore")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        forecast = TOOLS[tool](y, m, h, freq)
        times.append(time.perf_counter() - started)
    queue.put((times, np.asarray(forecast, dtype=float)))


def timed(tool, y, m, h, freq, timeout, repeats=1):
    queue = mp.get_context("fork").Queue()
    process = mp.get_context("fork").Process(target=_worker, args=(tool, y, m, h, freq, queue, repeats))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        return None, None
    if queue.empty():
        return None, None
    return queue.get()


def main(argv=None) -> pd.DataFrame:
    from core.evaluation import metrics as M

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--series", default="", help="comma-separated names (default: all six)")
    parser.add_argument("--tools", default=",".join(TOOLS))
    args = parser.parse_args(argv)
    rows = []
    wanted = set(filter(None, args.series.split(",")))
    for name, values, m, h, freq in series_list():
        if wanted and name not in wanted:
            continue
        train, test = values[:-h], values[-h:]
        row = {"series": name, "points": len(train), "season": m}
        for tool in args.tools.split(","):
            # the first call imports (statsforecast: compiles); two calls in one process give first and warm times
            repeats = 2 if tool in WARM else 1
            times, forecast = timed(tool, train, m, h, freq, args.timeout, repeats)
            if times is None:
                row[f"{tool} s"] = f">{args.timeout:.0f}"
                row[f"{tool} MASE"] = np.nan
                continue
            row[f"{tool} s"] = times[-1]
            if tool in WARM:
                row[f"{tool} first s"] = times[0]
            row[f"{tool} MASE"] = M.mase(test, forecast, train, m)
        rows.append(row)
        print(f"done {name}", flush=True)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    numeric = lambda col: pd.to_numeric(table[col], errors="coerce") if col in table else pd.Series(dtype=float)
    for other in ("pmdarima", "statsforecast", "ours_exact", "ours_kalman"):
        ratio = (numeric(f"{other} s") / numeric("ours s")).dropna()
        if len(ratio):
            print(f"fit-time ratio {other} / ours (warm where timed twice): median {ratio.median():.2f}x over {len(ratio)} series "
                  f"that finished; each: {', '.join(f'{v:.2f}x' for v in ratio)}")
    print("mean MASE: " + ", ".join(f"{tool} {numeric(f'{tool} MASE').mean():.3f}" for tool in args.tools.split(",")))
    return table


if __name__ == "__main__":
    main()
