"""Which inputs mattered: integrated gradients of a recurrent forecaster's forecast over its input window.

For the network's input window x (steps x channels) and a baseline window x0, the attribution of input j is

    IG_j = (x_j - x0_j) * (the mean of dF/dx_j along the straight path from x0 to x)

where F is the forecast the app shows, in the series' units: the median of the ensemble members' outputs, times
the share of the correction kept and the window's spread, plus the window's base forecast. The base forecast and
the spread are the window's own and stay fixed along the path, so the attributions explain what the network adds
to the base forecast. The path mean is a trapezoid rule; the attributions of a window then sum to
F(x) - F(x0) up to the rule's error, which is measured on every call (``gap``) and made small by doubling the
points on the path until it is below 1e-3 of the series' spread.

The gradients come from whichever backend Keras runs on (TensorFlow, JAX or PyTorch): the same network code,
no extra dependency.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from core.i18n import N_
from core.lens import probes
from core.models.windows import channel_names

BASELINES = {
    "mean": N_("each input channel held at its own mean over the window"),
    "zeros": N_("zeros on the model's scale (no change since the window's end, the series' mean level, covariates at their means)"),
}
TOLERANCE = 1e-3  # of the series' spread: how far the attributions' sum may be from F(x) - F(x0)
CHUNK_VALUES = 400_000  # input values per backward pass
_COMPILED = weakref.WeakKeyDictionary()  # network -> its traced TensorFlow gradient (see input_gradients)


@dataclass(frozen=True)
class Attribution:
    """Integrated gradients of one window: ``values`` (horizon, steps, channels) in the series' units."""

    values: np.ndarray
    channels: list[str]
    forecast: np.ndarray            # (H,) F(x): the forecast the page shows
    baseline_forecast: np.ndarray   # (H,) F(x0)
    baseline: str
    points: int                     # points on the path the gradients were taken at

    def of(self, step: int | None = None) -> np.ndarray:
        """(steps, channels): for one horizon step (0-based), or for the mean forecast over the horizon when None."""
        return self.values.mean(axis=0) if step is None else self.values[step]

    @property
    def gap(self) -> np.ndarray:
        """(H,) |sum of attributions - (F(x) - F(x0))|: how far the path rule is from complete."""
        return np.abs(self.values.sum(axis=(1, 2)) - (self.forecast - self.baseline_forecast))


def baseline_input(x: np.ndarray, baseline: str) -> np.ndarray:
    """The baseline window (steps, channels) on the model's scale."""
    if baseline == "mean":
        return np.broadcast_to(x.mean(axis=0, keepdims=True), x.shape).astype(np.float32)
    if baseline == "zeros":
        return np.zeros_like(x, dtype=np.float32)
    raise ValueError(f"Unknown baseline '{baseline}'. Choose from: {', '.join(BASELINES)}.")


def integrated_gradients(model, window: probes.Window, baseline: str = "mean", points: int = 32,
                         max_points: int = 256) -> Attribution:
    """Integrated gradients of every horizon step of the forecast from ``window`` (see the module's docstring)."""
    ready = probes.prepared(model, window)
    x = ready.x[0]
    x0 = baseline_input(x, baseline)
    factor = float(getattr(model, "shrink_", 1.0)) * float(ready.spread[0])
    tolerance = TOLERANCE * float(model.scaling_.scale)
    while True:
        values, outputs = _path_integral(model, x, x0, points)
        values *= factor
        forecast = factor * outputs[-1] + ready.base[0]
        start = factor * outputs[0] + ready.base[0]
        result = Attribution(values, channel_names(getattr(model, "covariate_names_", []), model.scaling_),
                             forecast, start, baseline, points)
        if result.gap.max() <= tolerance or points >= max_points:
            return result
        points *= 2


def _path_integral(model, x: np.ndarray, x0: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """(H, steps, channels) of (x - x0) × the trapezoid mean of the median member's gradients along the path, and the
    median member's outputs (points + 1, H) at each point of it (first: the baseline, last: the window)."""
    from core.models.keras_training import predict_network
    from core.models.lstm import member_outputs

    alphas = np.linspace(0.0, 1.0, points + 1, dtype=np.float32)
    path = (x0[None] + alphas[:, None, None] * (x - x0)[None]).astype(np.float32)  # (P, L, C)
    network = model.network()
    members = int(getattr(model, "members_", 1))
    raw = member_outputs(predict_network(network, model.network_inputs(path)), members)  # (P, K, H)
    horizon = raw.shape[-1]
    # The median's gradient is that of its middle member (the two middle ones, halved, for an even count).
    order = np.argsort(raw, axis=1)
    middle = [(members - 1) // 2, members // 2]
    weights = np.zeros((horizon, len(path), members, horizon), dtype=np.float32)  # one backward pass per horizon step
    for h in range(horizon):
        for m in middle:
            weights[h, np.arange(len(path)), order[:, m, h], h] += 0.5
    batch = np.broadcast_to(path, (horizon, *path.shape)).reshape(-1, *path.shape[1:])
    weights = weights.reshape(len(batch), members * horizon)
    chunk = max(1, CHUNK_VALUES // path[0].size)  # bounds the backward pass' memory whatever the horizon and points
    grads = np.concatenate([input_gradients(network, model.network_inputs(batch[i:i + chunk]), weights[i:i + chunk])
                            for i in range(0, len(batch), chunk)])
    grads = grads.reshape(horizon, len(path), *path.shape[1:])
    rule = np.full(len(path), 1.0 / points, dtype=np.float64)
    rule[[0, -1]] *= 0.5
    mean_grad = np.tensordot(rule, grads.astype(np.float64), axes=([0], [1]))  # (H, L, C)
    return mean_grad * (x - x0)[None].astype(np.float64), np.median(raw, axis=1)


def input_gradients(network, inputs, weights: np.ndarray) -> np.ndarray:
    """d(sum of outputs × weights)/d(window) for each window, on the backend Keras runs on. ``inputs`` is the
    window batch, or a list whose first element is it (the other inputs, like a series code, are held fixed)."""
    import keras

    extra = list(inputs[1:]) if isinstance(inputs, list) else []
    windows = inputs[0] if isinstance(inputs, list) else inputs
    backend = keras.backend.backend()
    if backend == "tensorflow":  # traced once per network: eagerly a recurrent network runs its steps op by op
        import tensorflow as tf  # (a batch's global network: 1.3 s a window's attributions eagerly, 0.35 s traced)

        tensors = [tf.convert_to_tensor(a) for a in (windows, weights, *extra)]
        gradient = _COMPILED.get(network)
        if gradient is None:
            held = weakref.ref(network)  # the cached function must not keep its network alive
            # Any batch size, so that one trace serves every chunk and every number of points on the path.
            signature = [tf.TensorSpec([None, *t.shape[1:]], t.dtype) for t in tensors]

            @tf.function(input_signature=signature)
            def gradient(xt, w, *fixed):
                with tf.GradientTape() as tape:
                    tape.watch(xt)
                    out = held()([xt, *fixed] if fixed else xt, training=False)
                    total = tf.reduce_sum(out * w)
                return tape.gradient(total, xt)
            _COMPILED[network] = gradient
        return gradient(*tensors).numpy()
    if backend == "torch":
        import torch

        xt = keras.ops.convert_to_tensor(windows).detach().requires_grad_(True)
        out = network([xt, *(keras.ops.convert_to_tensor(e) for e in extra)] if extra else xt, training=False)
        (out * torch.as_tensor(weights, device=out.device)).sum().backward()
        return xt.grad.detach().cpu().numpy()
    if backend == "jax":
        import jax

        trainable = [v.value for v in network.trainable_variables]
        fixed = [v.value for v in network.non_trainable_variables]

        others = [jax.numpy.asarray(e) for e in extra]

        def total(xx):
            out, _ = network.stateless_call(trainable, fixed, [xx, *others] if others else xx, training=False)
            return (out * weights).sum()

        return np.asarray(jax.grad(total)(windows))
    raise ValueError(f"Attributions are not available on the {backend} backend; use TensorFlow, JAX or PyTorch.")

