"""How honest each default model's prediction intervals are: coverage of the held-out points and MSIS, side by side.

    python -m bench.intervals [--samples airline,macro,co2,electricity] [--m4 24] [--level 0.9] [--models ...]

Every sample is held out as on the Train page (airline 12, US macro 8, CO2 52, electricity 48 points) and each M4
series on its last 48 hours, all default models in one run. Printed per sample: each model's coverage (the share of
held-out points inside its interval; the level is what it should be) and MSIS (the interval's width plus its misses,
scaled as MASE; lower is better). Then over the M4 series: every held-out point pooled, the mean MSIS, and on how many
series a model's coverage fell below the level by more than one binomial standard deviation of 48 points.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench.lstm_accuracy import TEST_SIZES, m4_series  # noqa: E402

M4_HELD_OUT, M4_SEASON = 48, 24  # each M4 sample series' last two days, as in bench.lstm_accuracy


def results_of(evaluation) -> dict[str, tuple[float, float, int]]:
    """model -> (coverage, MSIS, held-out points) for every model that finished."""
    return {key: (r.metrics["coverage"], r.metrics["MSIS"], len(evaluation.actual)) for key, r in evaluation.ok().items()}


def main(argv=None) -> None:
    import numpy as np

    from core.evaluation.holdout import ModelSpec, holdout
    from core.models import DEFAULT_MODELS
    from core.training import sample_dataset

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default="airline,macro,co2,electricity")
    parser.add_argument("--m4", type=int, default=24)
    parser.add_argument("--level", type=float, default=0.9)
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS))
    args = parser.parse_args(argv)
    models = [m for m in args.models.split(",") if m]
    specs = [ModelSpec(m) for m in models]
    print(f"level {args.level:.0%}; coverage / MSIS per model")
    print(f"{'series':14s}" + "".join(f"{m:>20s}" for m in models))

    def row(name: str, found: dict) -> None:
        cells = [f"{found[m][0]:9.1%} {found[m][1]:9.2f}" if m in found else f"{'failed':>19s}" for m in models]
        print(f"{name:14s}" + "".join(f" {c}" for c in cells), flush=True)

    for key in [s for s in args.samples.split(",") if s]:
        clean = sample_dataset(key).clean
        size = TEST_SIZES[key]
        row(key, results_of(holdout(clean.y, specs, size, season=clean.season, level=args.level,
                                    covariates=clean.covariates, season_options=clean.season_options, log=clean.log)))
    pooled = {m: [] for m in models}
    for y in m4_series(args.m4):
        found = results_of(holdout(y, specs, M4_HELD_OUT, season=M4_SEASON, level=args.level))
        row(str(y.name), found)
        for m, (cov, msis, n) in found.items():
            pooled[m].append((cov, msis, n))
    if args.m4:
        sd = np.sqrt(args.level * (1 - args.level) / M4_HELD_OUT)
        print(f"{'M4 pooled':14s}" + "".join(
            f" {sum(c * n for c, _, n in pooled[m]) / max(1, sum(n for *_, n in pooled[m])):9.1%}"
            f" {np.mean([s for _, s, _ in pooled[m]]) if pooled[m] else float('nan'):9.2f}" for m in models))
        print(f"{'M4 under':14s}" + "".join(
            f" {sum(c < args.level - sd for c, _, _ in pooled[m]):>9d}/{len(pooled[m]):<9d}" for m in models))


if __name__ == "__main__":
    main()
