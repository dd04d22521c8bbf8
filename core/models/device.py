"""Compute devices of the active Keras backend, and whether an LSTM setting keeps the fused cuDNN kernel."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from core.i18n import N_, Text

GPU_HINT = N_('No GPU found. To train on an NVIDIA GPU (Linux with its driver installed), install TensorFlow with CUDA: '
            '`pip install "tensorflow[and-cuda]==2.21.0"` in .venv, then restart the app.')  # noqa: E501


@dataclass(frozen=True)
class Device:
    key: str            # what keras.device() takes: "cpu:0", "gpu:0", …
    kind: str           # "CPU" or "GPU"
    name: str
    memory_bytes: int | None = None

    @property
    def label(self) -> str:
        memory = f", {self.memory_bytes / 2**30:.0f} GiB" if self.memory_bytes else ""
        return f"{self.kind} {(self.key.split(':') + ['0'])[1]}: {self.name}{memory}"


def backend_name() -> str:
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def gpu_possible() -> bool:
    """False when no NVIDIA device node exists, so no backend can see a GPU (checked without importing one)."""
    import glob

    return bool(glob.glob("/dev/nvidia[0-9]*")) or os.environ.get("LSTM_LENS_PROBE_GPU") == "1"


@functools.lru_cache(maxsize=1)
def default_device() -> str:
    """Where a network trains when nobody chose: the first GPU the backend sees, else the CPU.

    (The CPU stays a choice there: see ``cpu_key`` for PyTorch and ``keep_off_cudnn`` for JAX.)"""
    gpus = [d for d in list_devices() if d.kind == "GPU"]
    return gpus[0].key if gpus else cpu_key()


def cpu_key() -> str:
    """The CPU as keras.device() names it. PyTorch's own name is "cpu": under "cpu:0" Keras moves every new variable
    to a device PyTorch counts as another, and its integer state (the layers' seed generators) then fails to build."""
    return "cpu" if backend_name() == "torch" else "cpu:0"


def keep_off_cudnn(network, device: str) -> None:
    """Under JAX, Keras' LSTM and GRU take cuDNN's fused kernel whenever JAX's default platform is a GPU, whatever
    device the network is placed on, and that kernel has no CPU version: the fit failed ("rnn_fwd not found for
    platform cpu"). A network placed on the CPU there steps with Keras' own loop instead; elsewhere nothing changes."""
    if backend_name() != "jax" or not device.startswith("cpu"):
        return
    pending = list(network.layers)
    while pending:
        layer = pending.pop()
        pending.extend(getattr(layer, "layers", []))
        if hasattr(layer, "use_cudnn"):
            layer.use_cudnn = False


def list_devices() -> list[Device]:
    """CPU first, then every GPU the active backend can use. No backend is imported when no GPU can exist."""
    import platform

    devices = [Device(cpu_key(), "CPU", platform.processor() or platform.machine() or "processor")]
    if not gpu_possible():
        return devices
    backend = backend_name()
    if backend == "tensorflow":
        import tensorflow as tf

        for index, gpu in enumerate(tf.config.list_physical_devices("GPU")):
            details = tf.config.experimental.get_device_details(gpu)
            devices.append(Device(f"gpu:{index}", "GPU", details.get("device_name", gpu.name)))
    elif backend == "torch":
        import torch

        for index in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(index)
            devices.append(Device(f"cuda:{index}", "GPU", props.name, int(props.total_memory)))
    elif backend == "jax":
        import jax

        for index, dev in enumerate(d for d in jax.devices() if d.platform == "gpu"):
            devices.append(Device(f"gpu:{index}", "GPU", getattr(dev, "device_kind", "GPU")))
    return devices


def cudnn_eligibility(recurrent_dropout: float = 0.0, activation: str = "tanh", recurrent_activation: str = "sigmoid",
                      unroll: bool = False, use_bias: bool = True) -> list[str]:
    """Reasons a setting would move a GPU LSTM off the fused cuDNN kernel; empty when it stays eligible."""
    reasons = []
    if recurrent_dropout:
        reasons.append(Text("recurrent dropout is above 0 (input dropout is fine)"))
    if activation != "tanh":
        reasons.append(Text("the activation is {activation}, not tanh", activation=activation))
    if recurrent_activation != "sigmoid":
        reasons.append(Text("the recurrent activation is {activation}, not sigmoid", activation=recurrent_activation))
    if unroll:
        reasons.append(Text("the loop is unrolled"))
    if not use_bias:
        reasons.append(Text("the layer has no bias"))
    return reasons
