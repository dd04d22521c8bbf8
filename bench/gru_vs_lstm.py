"""The GRU beside the LSTM, default settings, on the four samples held out as on the Train page.

    python -m bench.gru_vs_lstm [--samples airline,macro,co2,electricity]

Prints, per sample, holdout MASE of seasonal naive, the LSTM and the GRU, their fit seconds, their trainable
weights and the median memory half-life of their units (forget gate / update gate): the Learn page's comparison,
measured on every sample in one run.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bench.lstm_accuracy import TEST_SIZES  # noqa: E402


def main(argv=None) -> int:
    import numpy as np

    from core.evaluation.holdout import ModelSpec
    from core.lens import gates, probes
    from core.models import GRU, LSTM, SNAIVE
    from core.models.lstm import parameter_count
    from core.training import RunSettings, sample_dataset, train_run

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default=",".join(TEST_SIZES))
    args = parser.parse_args(argv)
    print("| sample | seasonal naive MASE | LSTM MASE | GRU MASE | LSTM fit s | GRU fit s | LSTM weights | GRU weights "
          "| LSTM median half-life | GRU median half-life |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in args.samples.split(","):
        dataset = sample_dataset(key)
        size = TEST_SIZES[key]
        run = train_run(dataset, [ModelSpec(SNAIVE), ModelSpec(LSTM), ModelSpec(GRU)],
                        RunSettings(test_size=size, horizon=size, season=dataset.clean.season))
        results = run.evaluation.results
        lives = {}
        for k in (LSTM, GRU):
            _, history = probes.history_trace(results[k].model, dataset.clean.y, dataset.clean.covariates)
            lives[k] = float(np.median(gates.half_life(history[-1].memory_gate[:, 0, :].mean(axis=0))))
        print(f"| {key} | {results[SNAIVE].metrics['MASE']:.3f} | {results[LSTM].metrics['MASE']:.3f} | {results[GRU].metrics['MASE']:.3f} "
              f"| {results[LSTM].fit_seconds:.1f} | {results[GRU].fit_seconds:.1f} | {parameter_count(results[LSTM].model):,} "
              f"| {parameter_count(results[GRU].model):,} | {lives[LSTM]:.1f} | {lives[GRU]:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
