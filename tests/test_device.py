from core.models.device import GPU_HINT, cudnn_eligibility, list_devices


def test_cpu_is_always_listed_first():
    devices = list_devices()
    assert devices[0].key == "cpu:0" and devices[0].kind == "CPU"
    assert all(d.kind in ("CPU", "GPU") for d in devices)
    assert "tensorflow[and-cuda]" in GPU_HINT


def test_cudnn_eligibility_names_what_breaks_it():
    assert cudnn_eligibility() == []
    assert cudnn_eligibility(recurrent_dropout=0.1) == ["recurrent dropout is above 0 (input dropout is fine)"]
    assert len(cudnn_eligibility(unroll=True, activation="relu")) == 2


def test_backend_asked_when_a_gpu_may_exist(monkeypatch):
    monkeypatch.setenv("LSTM_LENS_PROBE_GPU", "1")  # as on a machine with /dev/nvidia0: TensorFlow is asked
    devices = list_devices()
    assert devices[0].key == "cpu:0"
