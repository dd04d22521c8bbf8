"""Replaying a trained Keras LSTM or GRU in NumPy to expose every gate at every time step.

Keras keeps each LSTM layer's weights as ``kernel`` (inputs x 4U), ``recurrent_kernel``
(U x 4U) and ``bias`` (4U) with the four blocks in the order i, f, c, o. For each step:

    i_t = sigmoid(x_t W_i + h_{t-1} U_i + b_i)       input gate
    f_t = sigmoid(x_t W_f + h_{t-1} U_f + b_f)       forget gate
    C~_t = tanh(x_t W_c + h_{t-1} U_c + b_c)         candidate
    C_t = f_t * C_{t-1} + i_t * C~_t                 cell state
    o_t = sigmoid(x_t W_o + h_{t-1} U_o + b_o)       output gate
    h_t = o_t * tanh(C_t)                            hidden state

A GRU layer keeps ``kernel`` (inputs x 3U), ``recurrent_kernel`` (U x 3U) in the order z, r, h and,
with Keras' default ``reset_after=True``, two biases (2 x 3U: one added to the input part, one to
the recurrent part, which the reset gate then scales):

    z_t = sigmoid(x_t W_z + b_z + h_{t-1} U_z + b'_z)                 update gate (the share of h_{t-1} kept)
    r_t = sigmoid(x_t W_r + b_r + h_{t-1} U_r + b'_r)                 reset gate
    h~_t = tanh(x_t W_h + b_h + r_t * (h_{t-1} U_h + b'_h))           candidate
    h_t = z_t * h_{t-1} + (1 - z_t) * h~_t                            hidden state

(with ``reset_after=False``: one bias, and h~_t = tanh(x_t W_h + (r_t * h_{t-1}) U_h + b_h)).

Training is untouched (the fused cuDNN kernel stays on); gates are recomputed here after
training from the weights alone, vectorised over many windows at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import functools
import os
import time

import numpy as np


@dataclass(frozen=True)
class CellKind:
    """What one kind of recurrent cell shows: its quantities in the order of its equations."""

    name: str                    # "LSTM" or "GRU", as Keras names the layer
    quantities: tuple[str, ...]
    equations: dict[str, str]    # LaTeX
    memory_gate: str             # the gate whose mean is the share of the memory kept each step (half-lives)
    gate_like: tuple[str, ...]   # quantities in [0, 1]
    memory: str                  # the state that carries memory between steps


LSTM_CELL = CellKind(
    "LSTM", ("input", "forget", "candidate", "cell", "output", "hidden"),
    {"input": r"i_t = \sigma(W_i x_t + U_i h_{t-1} + b_i)",
     "forget": r"f_t = \sigma(W_f x_t + U_f h_{t-1} + b_f)",
     "candidate": r"\tilde{C}_t = \tanh(W_c x_t + U_c h_{t-1} + b_c)",
     "cell": r"C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t",
     "output": r"o_t = \sigma(W_o x_t + U_o h_{t-1} + b_o)",
     "hidden": r"h_t = o_t \odot \tanh(C_t)"},
    memory_gate="forget", gate_like=("input", "forget", "output"), memory="cell")
GRU_CELL = CellKind(
    "GRU", ("update", "reset", "hidden_candidate", "hidden"),
    {"update": r"z_t = \sigma(W_z x_t + U_z h_{t-1} + b_z)",
     "reset": r"r_t = \sigma(W_r x_t + U_r h_{t-1} + b_r)",
     "hidden_candidate": r"\tilde{h}_t = \tanh(W_h x_t + r_t \odot (U_h h_{t-1} + b'_h) + b_h)",
     "hidden": r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde{h}_t"},
    memory_gate="update", gate_like=("update", "reset"), memory="hidden")
CELLS = {c.name: c for c in (LSTM_CELL, GRU_CELL)}

# The LSTM's names, kept for the pages that teach the LSTM alone (Learn).
QUANTITIES = LSTM_CELL.quantities
EQUATIONS = LSTM_CELL.equations


@dataclass(frozen=True)
class LayerWeights:
    kernel: np.ndarray      # (inputs, 4U) for an LSTM, (inputs, 3U) for a GRU
    recurrent: np.ndarray   # (U, 4U) or (U, 3U)
    bias: np.ndarray        # (4U,); a GRU's (2, 3U) with reset_after, (3U,) without
    kind: str = "LSTM"

    @property
    def units(self) -> int:
        return self.recurrent.shape[0]

    @property
    def cell_kind(self) -> CellKind:
        return CELLS[self.kind]


def recurrent_weights(model, prefix: str = "") -> list[LayerWeights]:
    """The LSTM or GRU layers of a Keras model (those whose name starts with ``prefix``: one ensemble member), in
    order, as plain float32 arrays."""
    layers = []
    for layer in model.layers:
        kind = layer.__class__.__name__
        if kind in CELLS and layer.name.startswith(prefix):
            cell = getattr(layer, "cell", layer)
            if getattr(cell, "activation", None) is not None and cell.activation.__name__ != "tanh":
                raise ValueError(f"Layer {layer.name} uses {cell.activation.__name__}; the replay covers the standard tanh {kind}.")
            if not getattr(cell, "use_bias", True):
                raise ValueError(f"Layer {layer.name} has no bias; the replay covers layers with one.")
            kernel, recurrent, bias = (np.asarray(w, dtype=np.float32) for w in layer.get_weights()[:3])
            if kind == "GRU" and getattr(cell, "reset_after", True) != (bias.ndim == 2):
                raise ValueError(f"Layer {layer.name}'s bias does not match its reset_after setting.")
            layers.append(LayerWeights(kernel, recurrent, bias, kind))
    if not layers:
        raise ValueError("This model has no LSTM or GRU layer to look inside.")
    if len({w.kind for w in layers}) > 1:
        raise ValueError("This model mixes LSTM and GRU layers; the replay covers one kind of cell at a time.")
    return layers


class GateTrace:
    """Gate values of one layer: each quantity is (windows, steps, units); steps == 1 when only the last step was kept."""

    def __init__(self, kind: CellKind, values: dict[str, np.ndarray]):
        self.kind = kind
        self.values = values

    def get(self, name: str) -> np.ndarray:
        return self.values[name]

    def __getattr__(self, name: str) -> np.ndarray:  # trace.forget, trace.hidden, ...
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def memory_gate(self) -> np.ndarray:
        """The LSTM's forget gate or the GRU's update gate: the share of the memory each unit keeps each step."""
        return self.values[self.kind.memory_gate]


@functools.cache
def tanh_is_faster() -> bool:
    """Which form of the activations suits this machine, measured once per process on one step's block (512 x 256).

    NumPy's float32 ``tanh`` and ``exp`` are vectorised on some CPUs and not on others: with AVX-512 ``tanh`` took
    0.37 ns an element and ``exp`` 0.59, with AVX2 1.19 and 1.09, on NumPy's SSE baseline 16.7 and 2.3 (BENCHMARKS.md,
    "Gate replay"). The ``tanh`` form makes fewer passes over the block, so it wins unless its ``tanh`` is the slower
    call by more than those passes cost (a fifth)."""
    block = np.linspace(-4, 4, 512 * 256, dtype=np.float32).reshape(512, 256)
    out = np.empty_like(block)

    def fastest(function) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            function(block, out=out)
            times.append(time.perf_counter() - started)
        return min(times)

    return fastest(np.tanh) < 1.2 * fastest(np.exp)


def _run_layer(x: np.ndarray, w: LayerWeights, keep_all: bool, need_sequence: bool):
    """One layer over a chunk of windows x (N, T, D); returns the trace and, if asked, the h sequence.

    All four gates come from one matrix product per step: [h_{t-1}, x_t, 1] @ [U; W; b]. The activations take one of
    two forms, whichever this machine's NumPy computes faster (``tanh_is_faster``):

    - tanh: sigmoid(z) = 0.5 + 0.5 tanh(z / 2), the factor 1/2 folded into the gates' weights once;
    - exp: sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2z)) - 1, the factors -1 and -2 folded in,
      one ``exp`` serving all four blocks (exp(large) = inf gives 1 / inf = 0: the saturated value, exactly).

    Both agree with Keras' own within float32 rounding (1e-6). Nothing of size T x 4U is built: each step's working set
    (a few N x 4U arrays) stays in the processor's cache.
    """
    n, steps, d = x.shape
    u = w.units
    use_tanh = tanh_is_faster()
    # Reorder Keras' (i, f, c, o) blocks to (i, f, o, c) and fold in the activations' factors.
    order = np.r_[0:2 * u, 3 * u:4 * u, 2 * u:3 * u]
    gates_factor, candidate_factor = (0.5, 1.0) if use_tanh else (-1.0, -2.0)
    scale = np.r_[np.full(3 * u, gates_factor, dtype=np.float32), np.full(u, candidate_factor, dtype=np.float32)]
    stacked = np.concatenate([w.recurrent, w.kernel, w.bias[None, :]])[:, order] * scale  # (U + D + 1, 4U)
    stacked = np.ascontiguousarray(stacked, dtype=np.float32)
    hx = np.zeros((n, u + d + 1), dtype=np.float32)  # [h_{t-1} | x_t | 1]
    hx[:, -1] = 1.0
    h = hx[:, :u]
    c = np.zeros((n, u), dtype=np.float32)
    z = np.empty((n, 4 * u), dtype=np.float32)
    tanh_c = np.empty((n, u), dtype=np.float32)
    product = np.empty((n, u), dtype=np.float32)
    shape = (n, steps if keep_all else 1, u)
    store = {name: np.empty(shape, dtype=np.float32) for name in LSTM_CELL.quantities}
    sequence = np.empty((n, steps, u), dtype=np.float32) if need_sequence else None
    candidate = z[:, 3 * u:]
    gates = z[:, :3 * u]
    i, f, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u]
    with np.errstate(over="ignore"):
        for t in range(steps):
            hx[:, u:u + d] = x[:, t]
            np.matmul(hx, stacked, out=z)
            if use_tanh:
                np.tanh(z, out=z)  # the candidate block is done
                gates *= 0.5
                gates += 0.5  # i, f, o
            else:
                np.exp(z, out=z)
                z += 1.0
                np.reciprocal(z, out=z)  # i, f, o = sigmoid; the candidate block = sigmoid(2 z)
                candidate *= 2.0
                candidate -= 1.0
            c *= f
            np.multiply(i, candidate, out=product)
            c += product
            if use_tanh:
                np.tanh(c, out=tanh_c)
            else:
                np.multiply(c, -2.0, out=tanh_c)
                np.exp(tanh_c, out=tanh_c)
                tanh_c += 1.0
                np.divide(2.0, tanh_c, out=tanh_c)
                tanh_c -= 1.0
            np.multiply(o, tanh_c, out=h)
            if keep_all or t == steps - 1:
                k = t if keep_all else 0
                store["input"][:, k], store["forget"][:, k], store["candidate"][:, k] = i, f, candidate
                store["cell"][:, k], store["output"][:, k], store["hidden"][:, k] = c, o, h
            if need_sequence:
                sequence[:, t] = h
    return GateTrace(LSTM_CELL, store), sequence


def _run_gru_layer(x: np.ndarray, w: LayerWeights, keep_all: bool, need_sequence: bool):
    """One GRU layer over a chunk of windows x (N, T, D), in Keras' convention (see the module's docstring)."""
    n, steps, _ = x.shape
    u = w.units
    reset_after = w.bias.ndim == 2
    input_bias, recurrent_bias = (w.bias[0], w.bias[1]) if reset_after else (w.bias, np.zeros_like(w.bias))
    projected = np.matmul(x, w.kernel) + input_bias  # every step's input part at once: (N, T, 3U)
    h = np.zeros((n, u), dtype=np.float32)
    shape = (n, steps if keep_all else 1, u)
    store = {name: np.empty(shape, dtype=np.float32) for name in GRU_CELL.quantities}
    sequence = np.empty((n, steps, u), dtype=np.float32) if need_sequence else None
    for t in range(steps):
        xz, xr, xh = projected[:, t, :u], projected[:, t, u:2 * u], projected[:, t, 2 * u:]
        if reset_after:
            inner = h @ w.recurrent + recurrent_bias
            z = _sigmoid(xz + inner[:, :u])
            r = _sigmoid(xr + inner[:, u:2 * u])
            candidate = np.tanh(xh + r * inner[:, 2 * u:])
        else:
            inner = h @ w.recurrent[:, :2 * u]
            z = _sigmoid(xz + inner[:, :u])
            r = _sigmoid(xr + inner[:, u:])
            candidate = np.tanh(xh + (r * h) @ w.recurrent[:, 2 * u:])
        h = (z * h + (1 - z) * candidate).astype(np.float32)
        if keep_all or t == steps - 1:
            k = t if keep_all else 0
            store["update"][:, k], store["reset"][:, k], store["hidden_candidate"][:, k], store["hidden"][:, k] = z, r, candidate, h
        if need_sequence:
            sequence[:, t] = h
    return GateTrace(GRU_CELL, store), sequence


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (0.5 * (1.0 + np.tanh(0.5 * z))).astype(np.float32)


def replay(weights: list[LayerWeights], windows: np.ndarray, keep: str = "all", chunk: int | None = None) -> list[GateTrace]:
    """Gates of every layer for windows (N, T, D).

    ``keep="all"`` returns every step; ``keep="last"`` only each window's final step,
    which is what a full-history trace needs and keeps memory at N x units. The windows go in chunks, one core each:
    at most 1,024 windows a chunk (the full-history trace: 0.59 to 0.66 s against 0.61 to 0.74 s in chunks of 512
    and 0.67 to 0.72 s in chunks of 2,048; BENCHMARKS.md), and at least one chunk a core.
    """
    x_all = np.asarray(windows, dtype=np.float32)
    if x_all.ndim != 3:
        raise ValueError("windows must be (windows, steps, inputs)")
    if x_all.shape[2] != weights[0].kernel.shape[0]:
        raise ValueError(f"The model reads {weights[0].kernel.shape[0]} input channels; these windows have {x_all.shape[2]}.")
    keep_all = keep == "all"
    chunk = chunk or min(1024, max(64, -(-len(x_all) // (os.cpu_count() or 1))))

    def one_chunk(start: int) -> list[GateTrace]:
        x = x_all[start:start + chunk]
        traces = []
        for index, layer in enumerate(weights):
            run = _run_layer if layer.kind == "LSTM" else _run_gru_layer
            trace, x = run(x, layer, keep_all, need_sequence=index < len(weights) - 1)
            traces.append(trace)
        return traces

    starts = list(range(0, len(x_all), chunk))
    workers = min(len(starts), os.cpu_count() or 1)
    if workers > 1:  # NumPy releases the GIL in matmul and ufuncs: chunks run on every core,
        from concurrent.futures import ThreadPoolExecutor  # each with a one-thread BLAS (no oversubscription)

        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            per_chunk = list(pool.map(one_chunk, starts))
    else:
        per_chunk = [one_chunk(s) for s in starts]
    return [GateTrace(w.cell_kind, {name: np.concatenate([c[k].get(name) for c in per_chunk]) for name in w.cell_kind.quantities})
            for k, w in enumerate(weights)]


def half_life(mean_forget: np.ndarray) -> np.ndarray:
    """Steps after which a unit keeps half of its memory if nothing new is written: ln 0.5 / ln f, with f the mean
    share kept each step (an LSTM's forget gate; a GRU's update gate, which in Keras keeps h_{t-1})."""
    f = np.clip(np.asarray(mean_forget, dtype=float), 1e-6, 1 - 1e-9)
    return np.log(0.5) / np.log(f)


def saturation(values: np.ndarray, low: float = 0.05, high: float = 0.95) -> tuple[float, float]:
    """Share of gate values below ``low`` (closed) and above ``high`` (open)."""
    flat = np.asarray(values).ravel()
    return float(np.mean(flat < low)), float(np.mean(flat > high))


def unit_order(trace: GateTrace, by: str | None = None, how: str = "mean") -> np.ndarray:
    """Unit indices sorted by the mean of a quantity (the memory gate by default), or grouped by hierarchical
    clustering of their time courses."""
    by = by or trace.kind.memory_gate
    values = trace.get(by).reshape(-1, trace.get(by).shape[-1])  # (samples, units)
    if how == "cluster" and values.shape[1] > 2:
        from scipy.cluster.hierarchy import leaves_list, linkage

        profiles = values.T - values.T.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(profiles, axis=1, keepdims=True)
        profiles = profiles / np.where(norms == 0, 1, norms)
        return leaves_list(linkage(profiles, method="average", metric="euclidean"))
    if how == "variance":
        return np.argsort(-values.var(axis=0))
    return np.argsort(-values.mean(axis=0))
