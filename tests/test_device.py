import numpy as np
import pandas as pd
import pytest

from core.models.device import GPU_HINT, cpu_key, cudnn_eligibility, default_device, keep_off_cudnn, list_devices


def test_cpu_is_always_listed_first():
    devices = list_devices()
    assert devices[0].key == cpu_key() and devices[0].kind == "CPU"
    assert all(d.kind in ("CPU", "GPU") for d in devices)
    assert "tensorflow[and-cuda]" in GPU_HINT


def test_cudnn_eligibility_names_what_breaks_it():
    assert cudnn_eligibility() == []
    assert cudnn_eligibility(recurrent_dropout=0.1) == ["recurrent dropout is above 0 (input dropout is fine)"]
    assert len(cudnn_eligibility(unroll=True, activation="relu")) == 2


def test_backend_asked_when_a_gpu_may_exist(monkeypatch):
    monkeypatch.setenv("LSTM_LENS_PROBE_GPU", "1")  # as on a machine with /dev/nvidia0: TensorFlow is asked
    devices = list_devices()
    assert devices[0].key == cpu_key()  # "cpu" under PyTorch (seen failing on an H200 with KERAS_BACKEND=torch)


def test_the_cpu_is_named_as_each_backend_names_it(monkeypatch):
    """Found on an H200 with KERAS_BACKEND=torch: under "cpu:0" every LSTM failed to build (PyTorch calls it "cpu")."""
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert cpu_key() == "cpu"
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    assert cpu_key() == "cpu:0"


def test_networks_train_on_the_first_gpu_unless_told_otherwise():
    gpus = [d.key for d in list_devices() if d.kind == "GPU"]
    assert default_device() == (gpus[0] if gpus else cpu_key())


@pytest.mark.parametrize("key", ["lstm", "gru"])
def test_every_listed_device_trains_and_forecasts(key):
    """The Train page offers every device in the list, the CPU beside a GPU included. Found on an H200 under JAX: a
    network placed on the CPU there failed to train (Keras took cuDNN's kernel, which has no CPU version)."""
    from core.models import build_model

    t = np.arange(120)
    series = pd.Series(np.sin(2 * np.pi * t / 12) + 0.05 * t, index=pd.date_range("2020-01-01", periods=120, freq="D"))
    for device in list_devices():
        model = build_model(key, season=12, horizon=6, epochs=2, units=8, device=device.key).fit(series)
        forecast = model.predict(6).mean
        assert len(forecast) == 6 and np.all(np.isfinite(forecast)), device.label
        assert model.training_.device == device.key


def test_a_network_on_the_cpu_steps_with_keras_own_loop_under_jax_only(monkeypatch):
    from core.models.keras_training import keras_module

    keras = keras_module()
    inputs = keras.Input(shape=(5, 1))
    network = keras.Model(inputs, keras.layers.GRU(3)(keras.layers.LSTM(4, return_sequences=True)(inputs)))
    recurrent = [layer for layer in network.layers if hasattr(layer, "use_cudnn")]
    assert len(recurrent) == 2
    for backend, device in [("tensorflow", "cpu:0"), ("torch", "cpu"), ("jax", "gpu:0")]:
        monkeypatch.setenv("KERAS_BACKEND", backend)  # (TensorFlow and PyTorch choose the kernel by the device itself)
        keep_off_cudnn(network, device)
        assert [layer.use_cudnn for layer in recurrent] == ["auto", "auto"], backend
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    keep_off_cudnn(network, "cpu:0")
    assert [layer.use_cudnn for layer in recurrent] == [False, False]
