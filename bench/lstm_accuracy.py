"""How accurate the per-series LSTM is, against seasonal naive, on the four samples and the M4 Hourly panel.

    python -m bench.lstm_accuracy [--variants default,plain,...] [--samples airline,macro,co2,electricity] [--m4 24]
                                  [--order keras|seed]

Each variant is a set of LSTM settings; every sample is held out as on the Train page by default
(airline 12, US macro 8, CO2 52, electricity 48 points) and each M4 series on its last 48 hours.
Prints holdout MASE per sample, the number of M4 series where the LSTM beats seasonal naive, and the
fit seconds: the ablation table in BENCHMARKS.md comes from here.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench.training_order import ORDERS, force_order  # noqa: E402

TEST_SIZES = {"airline": 12, "macro": 8, "co2": 52, "electricity": 48}
VARIANTS = {
    "default": {},                                          # base by season test, kept share, 5 members, no level channel
    "before": {"base": "last", "shrink": False, "members": 1, "level_input": True},  # the LSTM before this work
    "single": {"base": "auto", "members": 1, "level_input": True},
    "with_level": {"level_input": True},
    "no_level_single": {"members": 1},
    "window_scale": {"window_scale": True},
    "last_no_level_single": {"base": "last", "members": 1},
    "windows": {"step_inputs": False},                     # long series trained window by window, as before stretches
    "seed1": {"seed": 1},
    "seed2": {"seed": 2},
}


def sample_scores(variant: dict, samples: list[str]) -> dict[str, tuple[float, float, float]]:
    """sample -> (LSTM MASE, seasonal naive MASE, LSTM fit seconds)."""
    from core.evaluation.holdout import ModelSpec
    from core.models import LSTM, SNAIVE
    from core.training import RunSettings, sample_dataset, train_run

    out = {}
    for key in samples:
        dataset = sample_dataset(key)
        size = TEST_SIZES[key]
        run = train_run(dataset, [ModelSpec(SNAIVE), ModelSpec(LSTM, variant)],
                        RunSettings(test_size=size, horizon=size, season=dataset.clean.season))
        lstm, snaive = run.evaluation.results[LSTM], run.evaluation.results[SNAIVE]
        out[key] = (lstm.metrics.get("MASE", float("nan")), snaive.metrics["MASE"], lstm.fit_seconds)
    return out


def m4_series(count: int):
    """The first ``count`` series of the M4 Hourly sample, each as an hourly pandas Series named by its id."""
    import pandas as pd

    from core.data.samples import PANELS

    frame = pd.read_csv(PANELS[0].path, parse_dates=["ds"])
    for sid, part in list(frame.groupby("unique_id", sort=False))[:count]:
        yield pd.Series(part["y"].to_numpy(float), index=pd.DatetimeIndex(part["ds"], freq="h"), name=sid)


def m4_scores(variant: dict, count: int) -> tuple[int, int, float, float]:
    """(series where the LSTM beats seasonal naive, series scored, mean MASE LSTM, mean MASE seasonal naive)."""
    import numpy as np

    from core.evaluation.holdout import ModelSpec, holdout
    from core.models import LSTM, SNAIVE

    wins, scored, lstm_mase, naive_mase = 0, 0, [], []
    for y in m4_series(count):
        evaluation = holdout(y, [ModelSpec(SNAIVE), ModelSpec(LSTM, variant)], 48, season=24)
        lstm, snaive = evaluation.results[LSTM], evaluation.results[SNAIVE]
        if lstm.error is None:
            scored += 1
            wins += lstm.metrics["MASE"] < snaive.metrics["MASE"]
            lstm_mase.append(lstm.metrics["MASE"])
            naive_mase.append(snaive.metrics["MASE"])
    return wins, scored, float(np.mean(lstm_mase)), float(np.mean(naive_mase))


def plain_scores(samples: list[str], count: int, seed: int = 0) -> tuple[dict, tuple[int, int, float, float]]:
    """The same holdouts forecast by a plain Keras script (``bench.lstm_training.plain_keras``: one LSTM of 32 units and
    a Dense head on standardised windows of the target alone, Adam at Keras' defaults, early stopping with patience 15,
    the lookback our forecaster would choose): what a user writing the LSTM by hand gets."""
    import numpy as np
    import pandas as pd

    from bench.lstm_training import plain_keras
    from core.evaluation import metrics as M
    from core.models.naive import SeasonalNaive
    from core.models.windows import default_lookback
    from core.training import sample_dataset

    def one(y: pd.Series, size: int, season: int) -> tuple[float, float]:
        train, test = y.iloc[:-size], y.iloc[-size:]
        lookback = default_lookback(season, size, len(train))
        _, _, forecast = plain_keras(train.to_numpy(float), lookback, size, 32, 15, 150, seed=seed)
        naive = SeasonalNaive(season=season).fit(train).predict(size).mean
        return float(M.mase(test, forecast, train, season)), float(M.mase(test, naive, train, season))

    started = time.perf_counter()
    out = {}
    for key in samples:
        clean = sample_dataset(key).clean
        out[key] = (*one(clean.y, TEST_SIZES[key], clean.season), time.perf_counter() - started)
    scores = [one(y, 48, 24) for y in m4_series(count)]
    wins = sum(a < b for a, b in scores)
    m4 = (wins, len(scores), float(np.mean([a for a, _ in scores])) if scores else float("nan"),
          float(np.mean([b for _, b in scores])) if scores else float("nan"))
    return out, m4


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", default=",".join(k for k in VARIANTS if not k.startswith("seed")),
                        help="variant names (seed1, seed2: the default settings with another seed; plain: a plain Keras script)")
    parser.add_argument("--samples", default=",".join(TEST_SIZES))
    parser.add_argument("--m4", type=int, default=24, help="how many of the 24 M4 Hourly sample series (0: none)")
    parser.add_argument("--order", choices=ORDERS, default="auto", help="the rows' order in training: Keras' fit's or the seed's (bench.training_order)")
    args = parser.parse_args(argv)
    force_order(args.order)
    samples = [s for s in args.samples.split(",") if s]
    print(f"{'variant':22s} " + " ".join(f"{s + ' MASE':>17s}" for s in samples) + f" {'M4 wins':>9s} {'M4 MASE':>13s} {'seconds':>8s}")
    for name in args.variants.split(","):
        started = time.perf_counter()
        if name == "plain":
            scores, m4_row = plain_scores(samples, args.m4)
        else:
            scores = sample_scores(VARIANTS[name], samples)
            m4_row = m4_scores(VARIANTS[name], args.m4) if args.m4 else None
        cells = " ".join(f"{lstm:7.3f} (sn {naive:5.3f})" for lstm, naive, _ in scores.values())
        m4 = ""
        if args.m4:
            wins, scored, lstm_mase, naive_mase = m4_row
            m4 = f" {wins:>4d}/{scored:<4d} {lstm_mase:5.3f}/{naive_mase:5.3f}"
        row = "plain Keras script" if name == "plain" else name
        print(f"{row:22s} {cells}{m4} {time.perf_counter() - started:8.1f}", flush=True)


if __name__ == "__main__":
    main()
