"""Force the order the per-series LSTM's training feeds its rows in, for a benchmark run: "keras" (the order Keras'
``fit`` itself uses on TensorFlow) or "seed" (one NumPy permutation drawn from the seed), whatever the series' length
(the product chooses: the seed's order for long series trained on stretches, Keras' below; BENCHMARKS.md).

    from bench.training_order import force_order
    force_order("seed")   # or "keras"; "auto" leaves the product's choice

Used by ``--order`` in bench.origins and bench.lstm_accuracy, so the two orders are compared on the same series, seeds
and origins. A benchmark-only switch: the app and the CLI never call it.
"""
from __future__ import annotations

ORDERS = ("auto", "keras", "seed")


def force_order(order: str) -> None:
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    if order == "auto":
        return
    import core.models.lstm as lstm
    from core.models.keras_training import train_network

    def forced(*args, **kwargs):
        kwargs["order"] = order
        return train_network(*args, **kwargs)

    lstm.train_network = forced
