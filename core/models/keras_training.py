"""The one place both LSTMs build, seed, fit, time, save and load Keras networks.

Keras (and so TensorFlow) is imported here only when a network is trained or loaded (or ahead of that when a page
asks: core.models.preload_needs), never at module import. The code is Keras 3 and backend-neutral: the same fit runs
on TensorFlow (the default), JAX or PyTorch, on a CPU or a GPU.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.errors import DataError
from core.i18n import Text
from core.models.base import no_progress
from core.models.device import keep_off_cudnn


def keras_module():
    """Keras, imported by one thread at a time: a fit that starts while the app preloads it waits for that import."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "keras" not in sys.modules:
        from core.models.imports import IMPORT_LOCK

        with IMPORT_LOCK:
            import keras  # noqa: F401
    import keras

    return keras


def seed_everything(keras, seed: int) -> None:
    """The same seed and settings give the same network (op determinism on TensorFlow)."""
    keras.utils.set_random_seed(int(seed))
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.experimental.enable_op_determinism()
        except (AttributeError, RuntimeError):
            pass


def epoch_report(keras, total: int, label: str, on_progress=no_progress, on_epoch=None):
    """A Keras callback keeping each epoch's loss, validation loss and seconds; it stops training on a NaN loss."""

    class Report(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.history = {"loss": [], "val_loss": []}
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._t)
            logs = logs or {}
            loss, val = float(logs.get("loss", np.nan)), float(logs.get("val_loss", np.nan))
            if not np.isfinite(loss):
                self.model.stop_training = True
            self.history["loss"].append(loss)
            self.history["val_loss"].append(val)
            on_progress((epoch + 1) / total, Text("{label} epoch {epoch}/{total}: loss {loss:.4f}, validation {val:.4f}",
                                                   label=Text(label), epoch=epoch + 1, total=total, loss=loss, val=val))
            if on_epoch:
                on_epoch(epoch + 1, {"loss": loss, "val_loss": val})

    return Report()


def validation_loss(keras, inputs, targets, chunk: int = 4096):
    """A Keras callback putting the validation loss (the mean squared error, as Keras' own) in each epoch's logs,
    ahead of the callbacks that read it. One compiled call per chunk of windows: Keras' own validation builds a new
    data pipeline every epoch, which took a sixth of the electricity LSTM's training (BENCHMARKS.md)."""
    targets = np.asarray(targets, dtype=float)
    rows = len(targets)

    def part(start: int):
        if isinstance(inputs, (list, tuple)):
            return [x[start:start + chunk] for x in inputs]
        return inputs[start:start + chunk]

    class Validation(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs is None:
                return
            total = 0.0
            for start in range(0, rows, chunk):
                out = np.asarray(keras.ops.convert_to_numpy(self.model.predict_on_batch(part(start))), dtype=float)
                total += float(np.sum((out - targets[start:start + chunk]) ** 2))
            logs["val_loss"] = total / targets.size

    return Validation()


@dataclass
class Training:
    """What one fit did: per-epoch losses, timings and where it ran."""

    history: dict = field(default_factory=lambda: {"loss": [], "val_loss": []})
    epoch_seconds: float = float("nan")   # median seconds per epoch
    seconds: float = float("nan")         # the whole fit
    device: str = "cpu:0"

    @property
    def epochs_run(self) -> int:
        return len(self.history.get("loss", []))

    @property
    def best_epoch(self) -> int:
        val = self.history.get("val_loss") or []
        return int(np.nanargmin(val)) + 1 if val and np.isfinite(val).any() else 0


def train_network(build, inputs, targets, validation, *, epochs: int, patience: int, batch_size: int, seed: int = 0,
                  device: str | None = None, warm_up: int = 0, label: str = "LSTM", on_progress=no_progress, on_epoch=None,
                  predict_validation: bool = True, order: str = "keras"):
    """Seed, build (``build()`` returns a compiled network), train with early stopping on the validation loss
    (best weights restored, not before ``warm_up`` epochs), refuse a diverged fit. The epochs run through ``run_epochs``:
    Keras' ``fit`` without its data pipeline made every epoch. ``order`` says which order the rows are fed in:
    "keras", the order ``fit`` itself feeds on TensorFlow (so the network is the one ``fit`` trains, in less time), or
    "seed", one NumPy permutation drawn from the seed (the per-series LSTM's fits on stretches, BENCHMARKS.md).
    Returns the network, its predictions for the validation inputs (None without ``predict_validation``) and a Training."""
    keras = keras_module()
    seed_everything(keras, seed)
    if device is None:
        from core.models.device import default_device

        device = default_device()
    report = epoch_report(keras, epochs, label, on_progress, on_epoch)
    validate = validation_loss(keras, *validation)
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True, start_from_epoch=warm_up)
    started = time.perf_counter()
    with keras.device(device):
        network = build()
        keep_off_cudnn(network, device)
        build_optimizer(network)
        callbacks = [validate, report, stop]
        run_epochs(network, inputs, targets, epochs=epochs, batch_size=batch_size, seed=seed, callbacks=callbacks, order=order)
        if not np.all(np.isfinite(report.history["loss"])):
            raise DataError(Text("{label} training diverged (the loss became NaN or infinite). Lower the learning rate or "
                                 "log-transform the series.", label=label))
        predicted = predict_network(network, validation[0]) if predict_validation else None
    training = Training(history=report.history, seconds=time.perf_counter() - started, device=device,
                        epoch_seconds=float(np.median(report.seconds)) if report.seconds else float("nan"))
    return network, predicted, training


def run_epochs(network, inputs, targets, *, epochs: int, batch_size: int, seed: int, callbacks, order: str = "seed") -> None:
    """Keras' ``fit`` without its data pipeline: every epoch feeds the rows in one order to ``train_on_batch``, and calls
    the epoch callbacks with the epoch's loss: the batches' losses weighted by their rows, as Keras' own. Batch hooks are
    not called: no callback here uses them. The order is ``keras_order`` with ``order="keras"``, else one permutation
    drawn from ``seed`` with NumPy (so every backend sees the same order).

    On TensorFlow ``fit`` slices the arrays through a ``tf.data`` pipeline made anew every epoch: a third of an epoch's
    time on the electricity sample on a 2-core AMD EPYC, a fifth on an earlier machine (airline's LSTM: 0.13 against 0.07 s
    an epoch). Its seeded shuffle gives the same order every epoch, and that rule is kept: a new order each epoch
    forecast worse there (BENCHMARKS.md).

    Every batch has the same number of rows (``padded_batch``): a compiled train step is traced anew for each batch shape,
    and a short last batch cost two more traces (with the optimizer built first: airline's fit 8.6 -> 5.7 s through the
    loop on a 2-core AMD EPYC)."""
    keras = keras_module()
    hooks = keras.callbacks.CallbackList(callbacks, add_history=False, add_progbar=False, model=network, epochs=epochs, verbose=0)
    parts = list(inputs) if isinstance(inputs, (list, tuple)) else None
    rows = len(targets)
    shuffled = keras_order(rows, batch_size) if order == "keras" else None
    if shuffled is None:
        shuffled = np.random.default_rng(int(seed)).permutation(rows)
    batches = [padded_batch(shuffled, start, min(batch_size, rows), targets.shape[1:-1]) for start in range(0, rows, batch_size)]
    build_optimizer(network)
    network.stop_training = False
    hooks.on_train_begin()
    for epoch in range(epochs):
        hooks.on_epoch_begin(epoch)
        total = 0.0
        for rows_in, weights, real in batches:
            batch = [x[rows_in] for x in parts] if parts is not None else inputs[rows_in]
            logs = network.train_on_batch(batch, targets[rows_in], sample_weight=weights, return_dict=True)
            total += float(logs["loss"]) * real
        hooks.on_epoch_end(epoch, {"loss": total / rows})
        if network.stop_training:
            break
    hooks.on_train_end()


def keras_order(rows: int, batch_size: int) -> np.ndarray | None:
    """The order in which Keras' ``fit(shuffle=True)`` feeds ``rows`` rows on TensorFlow, read from Keras' own data
    adapter over the row numbers: its ``tf.random.shuffle`` draws from the global seed (``seed_everything``) and the
    same op seed each epoch, so this is every epoch's order (tests/test_epoch_loop.py checks the networks agree).
    None on other backends, whose ``fit`` reshuffles every epoch: there the loop keeps the seed's NumPy order."""
    keras = keras_module()
    if keras.backend.backend() != "tensorflow":
        return None
    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    adapter = ArrayDataAdapter(np.arange(rows, dtype=np.int64), batch_size=batch_size, shuffle=True)
    return np.concatenate([np.asarray(batch) for batch in adapter.get_tf_dataset()])


def build_optimizer(network) -> None:
    """Create the optimizer's variables now: created inside the first compiled train step, they make TensorFlow trace
    that step twice (``fit`` too), about a second each for a small LSTM on a 2-core AMD EPYC."""
    if not network.optimizer.built:
        network.optimizer.build(network.trainable_variables)


def padded_batch(order: np.ndarray, start: int, size: int, steps: tuple = ()) -> tuple[np.ndarray, np.ndarray, int]:
    """(rows, sample weights, real rows) of the batch of ``size`` rows from ``start`` in ``order``. A short last batch is
    filled up with rows from the start of the order weighted 0, and its real rows weighted size / real: Keras' loss divides
    the weighted sum by the batch's rows, so the loss and its gradient are the mean over the real rows, as in ``fit``.
    ``steps``: the targets' shape between rows and outputs (a stretch's scored steps), which each weight covers."""
    rows_in = order[start:start + size]
    real = len(rows_in)
    weights = np.ones(size, dtype="float32")
    if real < size:
        rows_in = np.concatenate([rows_in, order[:size - real]])
        weights[:real], weights[real:] = size / real, 0.0
    weights = np.broadcast_to(weights.reshape((size,) + (1,) * len(steps)), (size,) + tuple(steps))
    return rows_in, np.ascontiguousarray(weights), real


def cosine_decay(learning_rate: float, steps: int):
    """A learning rate that starts at ``learning_rate`` and falls along a cosine to 5% of it after ``steps`` batches.
    On M4 Hourly's 414 series the global LSTM scored better in 22 such epochs than in up to 30 at a constant rate, and as
    well in 12 as in 22, in little more than half the time (BENCHMARKS.md)."""
    keras = keras_module()
    return keras.optimizers.schedules.CosineDecay(float(learning_rate), max(1, int(steps)), alpha=0.05)


def predict_network(network, inputs, device: str | None = None) -> np.ndarray:
    """The network's outputs for ``inputs`` in one call of Keras' compiled predict step. Called eagerly, a recurrent
    network costs about 150 ms a call whatever the batch (its steps run op by op); compiled, the first call of a network
    traces it (about the same) and later ones take a few milliseconds, which is what the pages' what-if edits and
    probes need (BENCHMARKS.md, "Interactive latency")."""
    if device is None:
        return np.asarray(network.predict_on_batch(inputs), dtype=float)
    keep_off_cudnn(network, device)
    with keras_module().device(device):
        return np.asarray(network.predict_on_batch(inputs), dtype=float)


def conformal_width(abs_residuals: np.ndarray, level: float, never_narrower: bool = True) -> np.ndarray:
    """Split-conformal half-width per horizon step from |validation residuals| (N, H).

    ``never_narrower``: no step's width below an earlier step's, for validation windows that start at every point of
    the series' last stretch (the per-series LSTM and GRU). Each step's quantile then comes from the same few
    overlapping windows and its dips are noise: held out on the 24 M4 series at 90%, the per-step widths covered 84.0%
    of the points (MSIS 6.32), the running maximum 87.3% (MSIS 6.18). Where the validation windows are many series'
    (the global LSTM: four a series, ending at its last points), each step's quantile is steady and kept as it is: on
    all 414 M4 Hourly series the running maximum covered 92.6% instead of 91.3% at a worse MSIS (BENCHMARKS.md,
    "Intervals")."""
    n = abs_residuals.shape[0]
    rank = min(1.0, np.ceil((n + 1) * level) / n)
    width = np.quantile(abs_residuals, rank, axis=0, method="higher")
    return np.maximum.accumulate(width) if never_narrower else width


# ---------------------------------------------------------------------- files
def save_network(network, path: Path) -> None:
    """Write a .keras file whole or not at all (a temporary name, then a rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial.keras")
    network.save(tmp)
    os.replace(tmp, path)


def network_bytes(network) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "network.keras"
        network.save(path)
        return path.read_bytes()


def load_network_bytes(data: bytes):
    """A network from .keras bytes (an upload or a bundle member); never under a name the user chose."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "uploaded.keras"
        path.write_bytes(data)
        return load_network(path)


MAX_NETWORK_BYTES = 256 * 2 ** 20   # unpacked size of a .keras file this app loads
MAX_UNITS = 4096                     # per layer; the Train page offers at most 256


def check_network_file(path) -> None:
    """Refuse, before anything is unpacked or built, a .keras file whose contents or claimed layer sizes would
    take more memory than any network this app trains (a 4 KB file can claim a 20,000-unit LSTM)."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_NETWORK_BYTES:
            raise DataError(Text("This .keras file unpacks to {unpacked:,.0f} MB; this app loads networks up to "
                                 "{MAX_NETWORK_BYTES:,.0f} MB. Export a smaller model.", unpacked=unpacked / 2 ** 20, MAX_NETWORK_BYTES=MAX_NETWORK_BYTES / 2 ** 20))
        try:
            config = json.loads(archive.read("config.json")) if "config.json" in archive.namelist() else {}
        except (ValueError, RecursionError):
            raise DataError(Text("This .keras file's description (config.json) is damaged. Export it again.")) from None
    largest = max(_claimed_sizes(config), default=0)
    if largest > MAX_UNITS:
        raise DataError(Text("This model has a layer of {largest:,} units; this app loads networks with up to {MAX_UNITS:,} "
                             "units a layer. Export a smaller model.", largest=largest, MAX_UNITS=MAX_UNITS))


def _claimed_sizes(node, depth: int = 0):
    """Every 'units' and input-shape size anywhere in a Keras config."""
    if depth > 50:
        raise DataError(Text("This .keras file's description is nested too deeply to be a model. Export it again."))
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "units" and isinstance(value, (int, float)):
                yield int(value)
            elif key in ("batch_shape", "batch_input_shape", "shape") and isinstance(value, list):
                yield from (int(v) // 64 for v in value if isinstance(v, (int, float)))  # long windows are fine
            else:
                yield from _claimed_sizes(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _claimed_sizes(value, depth + 1)


def load_network(path) -> object:
    """Load a .keras file with safe_mode on: a model carrying code (Lambda layers) is refused with a sentence."""
    if not zipfile.is_zipfile(path):
        raise DataError(Text("This file is not a readable .keras model (it is not a Keras archive; it may be damaged or "
                             "renamed). Export it again."))
    check_network_file(path)
    keras = keras_module()
    try:
        return keras.saving.load_model(str(path), safe_mode=True, compile=False)
    except ValueError as error:
        text = str(error)
        if "Lambda" in text or "safe_mode" in text or "unsafe" in text.lower():
            raise DataError(Text("This model contains code (a Lambda layer) and was refused: safe mode never runs code from an "
                                 "uploaded file. Rebuild it without Lambda layers.")) from None
        raise DataError(Text("This .keras file could not be loaded ({splitlines}). Check that it is a Keras 3 model file.", splitlines=text.splitlines()[0][:160])) from None
    except Exception as error:  # zipfile.BadZipFile, OSError, KeyError, h5 errors among others
        raise DataError(Text("This file is not a readable .keras model ({name}); it may be damaged. Export it again.", name=type(error).__name__)) from None
