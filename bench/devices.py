"""The per-series LSTM on every device the active Keras backend sees: seconds per epoch side by side, one run.

    KERAS_BACKEND=torch python -m bench.devices [--samples airline,electricity] [--epochs 20] [--only cpu|gpu]

Each sample's training part (its usual holdout left out) trains the default LSTM for exactly ``--epochs``
epochs (early stopping off, so every device does the same work) on the CPU and then on each GPU; printed:
the median seconds per epoch, the whole fit, and the holdout MASE (the same seed on each device).
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv=None) -> list[dict]:
    from core.evaluation.holdout import score, split
    from core.models.device import backend_name, list_devices
    from core.models.lstm import LSTMForecaster
    from core.training import sample_dataset

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default="airline,electricity")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--only", choices=["cpu", "gpu"], help="one kind of device (run the CPU with the GPU hidden: "
                                                                 "CUDA_VISIBLE_DEVICES= python -m bench.devices --only cpu)")
    args = parser.parse_args(argv)
    devices = [d for d in list_devices() if args.only is None or d.kind == args.only.upper()]
    print(f"backend {backend_name()}; devices: " + ", ".join(d.label for d in devices))
    rows = []
    for key in args.samples.split(","):
        dataset = sample_dataset(key)
        clean = dataset.clean
        horizon = {"airline": 12, "macro": 8, "co2": 52, "electricity": 48}.get(key, 12)
        part = split(clean.y, horizon, clean.covariates, clean.log)
        for device in devices:
            started = time.perf_counter()
            model = LSTMForecaster(horizon=horizon, season=clean.season, epochs=args.epochs, patience=args.epochs + 1,
                                   device=device.key).fit(part.train)
            forecast = model.predict(horizon)
            if clean.log:
                forecast = forecast.exp()
            mase = score(forecast, part.actual, part.insample, clean.season, 0.9)["MASE"]
            row = {"sample": key, "device": device.label, "epoch_s": model.training_.epoch_seconds,
                   "fit_s": time.perf_counter() - started, "epochs": model.training_.epochs_run, "MASE": float(mase),
                   "network": model.describe()}
            rows.append(row)
            print(f"{key:12s} {device.label:40s} {row['epoch_s']:7.3f} s/epoch  {row['fit_s']:7.1f} s fit  "
                  f"{row['epochs']} epochs  MASE {row['MASE']:.3f}", flush=True)
    return rows


if __name__ == "__main__":
    main()
