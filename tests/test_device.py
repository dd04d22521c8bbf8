from core.models.device import GPU_HINT, cpu_key, cudnn_eligibility, default_device, list_devices


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
