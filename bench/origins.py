"""The per-series LSTM and seasonal naive refitted at several forecast origins of one sample: one holdout is one draw.

    python -m bench.origins electricity [--origins 6] [--gap 336] [--settings '{"seed": 1}'] [--order keras|seed]

Origin 0 is the Train page's holdout (the sample's last points); origin k ends ``k * gap`` points earlier. Each origin
fits seasonal naive and the LSTM (the Train page's defaults, updated by ``--settings``) on everything before its test
part and prints their MASE, the LSTM's fit seconds and what it trained (epochs, seconds an epoch), then the means.
The origin tables in BENCHMARKS.md (electricity a week apart, CO2 two years apart, US macro a year apart) come from here.
"""
from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench.lstm_accuracy import TEST_SIZES  # the Train page's holdouts, as the accuracy table uses them
from bench.training_order import ORDERS, force_order

GAPS = {"airline": 12, "macro": 4, "co2": 104, "electricity": 336}


def main(argv=None) -> int:
    import numpy as np

    from core.evaluation.holdout import ModelSpec, holdout
    from core.models import LSTM, SNAIVE
    from core.training import sample_dataset

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sample", choices=sorted(TEST_SIZES))
    parser.add_argument("--origins", type=int, default=6)
    parser.add_argument("--gap", type=int, help="points between origins (default: a week, a year or two by sample)")
    parser.add_argument("--settings", default="{}", help="LSTM settings as JSON, e.g. '{\"seed\": 1}'")
    parser.add_argument("--order", choices=ORDERS, default="auto", help="the rows' order in training: Keras' fit's or the seed's (bench.training_order)")
    args = parser.parse_args(argv)
    force_order(args.order)
    settings, size, gap = json.loads(args.settings), TEST_SIZES[args.sample], args.gap or GAPS[args.sample]
    dataset = sample_dataset(args.sample)
    clean = dataset.clean
    y, covariates = clean.y, clean.covariates
    rows = []
    print(f"{args.sample}, LSTM settings {json.dumps(settings)}, {size} points held out at each origin, {gap} apart")
    for origin in range(args.origins):
        end = len(y) - origin * gap
        evaluation = holdout(y.iloc[:end], [ModelSpec(SNAIVE), ModelSpec(LSTM, settings)], size, season=clean.season,
                             covariates=None if covariates is None else covariates.iloc[:end],
                             season_options=clean.season_options, log=clean.log)
        lstm, naive = evaluation.results[LSTM], evaluation.results[SNAIVE]
        rows.append((lstm.metrics["MASE"], naive.metrics["MASE"], lstm.fit_seconds))
        last = y.index[end - 1]
        last = last.date() if hasattr(last, "normalize") and last == last.normalize() else last
        print(f"origin {origin} (test part ends {last}): LSTM {rows[-1][0]:.3f}, seasonal naive {rows[-1][1]:.3f}, "
              f"fit {rows[-1][2]:.1f} s ({lstm.description})", flush=True)
    mean = np.mean(rows, axis=0)
    print(f"mean of {len(rows)} origins: LSTM {mean[0]:.3f}, seasonal naive {mean[1]:.3f}, LSTM fit {mean[2]:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
