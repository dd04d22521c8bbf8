"""An ensemble of recurrent networks trained as one wide network: each layer holds every member's units side by side,
and its weights are block-diagonal by member, so the members never read each other's states.

One wide layer instead of one layer per member means one graph to build and trace: on short series, where an epoch
is framework overhead, the first epoch (tracing) took 4.5 s with five separate members and about 1.6 s with one
(airline, 2 cores). The zero blocks are kept zero by a constraint applied after every optimiser step (on every
backend), so each member is exactly the network it would be alone; its weights are read back as slices
(``member_slices``) for the gate replay. Constraints are removed once training ends, so a saved network is a plain
Keras model any Keras can load.

Layout of a wide layer with K members of U units and G gate blocks (LSTM 4: i, f, c, o; GRU 3: z, r, h): each gate's
block spans K·U columns, member a's units at a·U:(a+1)·U within it; rows of a recurrent kernel (and of the input
kernel of a stacked layer) are the K·U units, member a's at a·U:(a+1)·U. The Dense head maps K·U units to K·H
outputs, member a's forecast in columns a·H:(a+1)·H.
"""
from __future__ import annotations

import re

import numpy as np

GATES = {"LSTM": 4, "GRU": 3}
HEAD = re.compile(r"^forecast_x(\d+)$")


def head_name(members: int) -> str:
    """The Dense head's name, which also says how many members a wide network holds."""
    return "forecast" if members == 1 else f"forecast_x{members}"


def members_in(keras_model) -> int | None:
    """Members of a wide network (from its head's name), or None for another layout."""
    for layer in keras_model.layers:
        found = HEAD.match(layer.name)
        if found:
            return int(found.group(1))
    return None


def gate_columns(member: int, members: int, units: int, gates: int) -> np.ndarray:
    width = members * units
    return np.concatenate([np.arange(g * width + member * units, g * width + (member + 1) * units) for g in range(gates)])


def unit_rows(member: int, units: int) -> np.ndarray:
    return np.arange(member * units, (member + 1) * units)


def recurrent_mask(members: int, units: int, gates: int) -> np.ndarray:
    """1 where a wide recurrent (or stacked layer's input) kernel may be non-zero: rows are the K·U units."""
    mask = np.zeros((members * units, gates * members * units), dtype=np.float32)
    for a in range(members):
        mask[np.ix_(unit_rows(a, units), gate_columns(a, members, units, gates))] = 1.0
    return mask


def head_mask(members: int, units: int, horizon: int) -> np.ndarray:
    mask = np.zeros((members * units, members * horizon), dtype=np.float32)
    for a in range(members):
        mask[a * units:(a + 1) * units, a * horizon:(a + 1) * horizon] = 1.0
    return mask


def constraint_class():
    """A Keras constraint multiplying a weight by a fixed 0/1 mask (made on first use: Keras is imported lazily)."""
    import keras

    class BlockMask(keras.constraints.Constraint):
        def __init__(self, mask):
            self.mask = np.asarray(mask, dtype=np.float32)

        def __call__(self, w):
            return w * keras.ops.convert_to_tensor(self.mask, dtype=w.dtype)

        def get_config(self):
            return {"mask": self.mask.tolist()}

    return BlockMask


def _orthogonal_rows(rng, rows: int, cols: int) -> np.ndarray:
    """As Keras' Orthogonal initializer: a (rows, cols) matrix with orthonormal rows (rows <= cols)."""
    q, r = np.linalg.qr(rng.normal(size=(cols, rows)))
    return (q * np.sign(np.diag(r))).T


def _glorot(rng, fan_in: int, fan_out: int, shape) -> np.ndarray:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def recurrent_kind(layer) -> str | None:
    """"LSTM" or "GRU" for a Keras recurrent layer or a subclass of one (the fused training LSTM), else None."""
    return next((c.__name__ for c in type(layer).__mro__ if c.__name__ in GATES), None)


def initialise(model, members: int, units: int, horizon: int, cell: str, seed: int) -> None:
    """Initial weights as K separate networks would have them (Glorot kernels and orthogonal recurrent kernels per
    member, sized for one member), zero across members."""
    rng = np.random.default_rng(seed)
    gates = GATES[cell]
    depth = 0
    for layer in model.layers:
        kind = recurrent_kind(layer)
        if kind:
            kernel, recurrent, *rest = layer.get_weights()
            kernel, recurrent = np.zeros_like(kernel), np.zeros_like(recurrent)
            stacked = depth > 0  # a stacked layer reads the units below it; the first reads the window
            depth += 1
            for a in range(members):
                cols = gate_columns(a, members, units, gates)
                rows_in = unit_rows(a, units) if stacked else np.arange(kernel.shape[0])
                kernel[np.ix_(rows_in, cols)] = _glorot(rng, len(rows_in), gates * units, (len(rows_in), len(cols)))
                recurrent[np.ix_(unit_rows(a, units), cols)] = _orthogonal_rows(rng, units, gates * units)
            layer.set_weights([kernel, recurrent, *rest])
        elif HEAD.match(layer.name):
            kernel, bias = layer.get_weights()
            kernel = np.zeros_like(kernel)
            for a in range(members):
                kernel[a * units:(a + 1) * units, a * horizon:(a + 1) * horizon] = _glorot(rng, units, horizon, (units, horizon))
            layer.set_weights([kernel, bias])


def release(model) -> None:
    """Remove the masks once training is over: the saved network is a plain Keras model (its zeros stay zeros)."""
    for layer in model.layers:
        target = getattr(layer, "cell", layer)
        for name in ("kernel_constraint", "recurrent_constraint"):
            if getattr(target, name, None) is not None:
                setattr(target, name, None)
        for weight in getattr(layer, "weights", []):
            if getattr(weight, "constraint", None) is not None:
                weight.constraint = None


def member_slices(model, member: int, members: int):
    """One member's weights of a wide network: [(kind, kernel, recurrent, bias), ...] per recurrent layer, and its
    head (kernel, bias)."""
    layers, head = [], None
    for layer in model.layers:
        kind = recurrent_kind(layer)
        if kind:
            kernel, recurrent, bias = (np.asarray(w, dtype=np.float32) for w in layer.get_weights()[:3])
            units = recurrent.shape[0] // members
            cols = gate_columns(member, members, units, GATES[kind])
            rows = unit_rows(member, units)
            kernel = kernel[np.ix_(rows, cols)] if layers else kernel[:, cols]  # a stacked layer reads its member's units
            layers.append((kind, kernel, recurrent[np.ix_(rows, cols)], bias[..., cols]))
        elif HEAD.match(layer.name):
            kernel, bias = (np.asarray(w, dtype=np.float32) for w in layer.get_weights())
            units, horizon = kernel.shape[0] // members, kernel.shape[1] // members
            head = (kernel[member * units:(member + 1) * units, member * horizon:(member + 1) * horizon],
                    bias[member * horizon:(member + 1) * horizon])
    return layers, head
