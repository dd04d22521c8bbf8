"""A Keras LSTM layer that trains through TensorFlow's fused LSTM kernel on a CPU.

On a CPU, Keras' LSTM steps its cell in a TensorFlow while-loop: a dozen small operations a step forward and more
backward, each dispatched on its own, so a short-series network's epoch is mostly that dispatching (BENCHMARKS.md).
TensorFlow ships a kernel that runs a whole sequence in one operation, forward (``BlockLSTM``) and backward (its
registered gradient), with Keras' activations (sigmoid gates, tanh candidate and output) and weight layout (kernel over
recurrent kernel), its gate blocks in the order i, c, f, o (reordered from Keras' i, f, c, o on the way in), no added
forget bias and no clipping. (``BlockLSTMV2`` takes Keras' order, but TensorFlow 2.21 registers the first version's
gradient for it, which reads the weights in the other order: its gradients are wrong.) ``FusedLSTM`` is Keras' LSTM
with that kernel in place of the loop where it computes the same thing: TensorFlow without a GPU (there Keras' own cuDNN
path is kept), no mask, the standard activations and bias, no dropout in training, forwards. Anywhere else it is Keras'
LSTM unchanged.

Only training networks use it: the networks a forecaster keeps, saves and shows inside are plain Keras LSTMs given the
trained weights (tests/test_fused_lstm.py checks the outputs and gradients equal Keras' loop to float32 rounding).
"""
from __future__ import annotations

from core.models.device import list_devices

_CLASS = None


def fused_lstm_class(keras):
    """The FusedLSTM class (made once, when Keras is imported)."""
    global _CLASS
    if _CLASS is None:
        _CLASS = _make(keras)
    return _CLASS


def _make(keras):
    class FusedLSTM(keras.layers.LSTM):
        def fused(self, mask, training) -> bool:
            cell = self.cell
            return (keras.backend.backend() == "tensorflow" and mask is None and not self.go_backwards
                    and cell.use_bias and getattr(cell.activation, "__name__", "") == "tanh"
                    and getattr(cell.recurrent_activation, "__name__", "") == "sigmoid"
                    and not (training and (cell.dropout or cell.recurrent_dropout)) and not any(d.kind == "GPU" for d in list_devices()))

        def inner_loop(self, sequences, initial_state, mask, training=False):
            if not self.fused(mask, training):
                return super().inner_loop(sequences, initial_state, mask, training=training)
            import tensorflow as tf

            cell = self.cell
            h0, c0 = initial_state[0], initial_state[1]
            weights = _kernel_order(tf.concat([tf.convert_to_tensor(cell.kernel), tf.convert_to_tensor(cell.recurrent_kernel)], axis=0))
            bias = _kernel_order(tf.convert_to_tensor(cell.bias))
            zeros = tf.zeros([cell.units], dtype=weights.dtype)
            steps = tf.shape(sequences, out_type=tf.int64)[1]
            outputs = tf.raw_ops.BlockLSTM(seq_len_max=steps, x=tf.transpose(sequences, [1, 0, 2]), cs_prev=c0, h_prev=h0,
                                           w=weights, wci=zeros, wcf=zeros, wco=zeros, b=bias, forget_bias=0.0, cell_clip=-1.0,
                                           use_peephole=False)
            cells, hidden = outputs[1], outputs[6]  # time-major (T, B, U): cs and h
            last = hidden[-1]
            sequence = tf.transpose(hidden, [1, 0, 2]) if self.return_sequences else last[:, None, :]
            return last, sequence, [last, cells[-1]]

    return FusedLSTM


def _kernel_order(weights):
    """Keras' gate blocks (i, f, c, o) along the last axis in the kernel's order (i, c, f, o)."""
    import tensorflow as tf

    i, f, c, o = tf.split(weights, 4, axis=-1)
    return tf.concat([i, c, f, o], axis=-1)
