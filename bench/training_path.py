"""Force the per-series LSTM's training path for a benchmark run: Keras' ``fit`` or our epoch loop, whatever the
series' length (the product chooses: the loop from 1,000 training windows, ``fit`` below; BENCHMARKS.md).

    from bench.training_path import force_path
    force_path("loop")   # or "fit"; "auto" leaves the product's choice

Used by ``--path`` in bench.origins and bench.lstm_accuracy, so the two paths are compared on the same series, seeds
and origins. A benchmark-only switch: the app and the CLI never call it.
"""
from __future__ import annotations

PATHS = ("auto", "fit", "loop")


def force_path(path: str) -> None:
    if path not in PATHS:
        raise ValueError(f"path must be one of {PATHS}")
    if path == "auto":
        return
    import core.models.lstm as lstm
    from core.models.keras_training import train_network

    def forced(*args, **kwargs):
        kwargs["epoch_loop"] = path == "loop"
        return train_network(*args, **kwargs)

    lstm.train_network = forced
