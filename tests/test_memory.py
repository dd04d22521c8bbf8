"""Memory bounds that fail when exceeded: one long input must not exhaust the server."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

LSTM_ON_A_MILLION_POINTS = """
import json, os, resource
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, pandas as pd
import keras  # the framework's own memory is not the model's
from core.models.lstm import LSTMForecaster
n = 1_000_000
t = np.arange(n)
y = pd.Series(100 + 10 * np.sin(2 * np.pi * t / 24) + np.random.default_rng(0).normal(0, 1, n),
              index=pd.date_range("2000-01-01", periods=n, freq="h"))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
model = LSTMForecaster(horizon=24, season=24, units=8, epochs=1).fit(y)
forecast = model.predict(24)
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({"peak_mb": peak, "described": model.describe(), "finite": bool(np.isfinite(forecast.mean).all())}))
"""


@pytest.mark.slow
def test_the_lstm_on_a_million_points_stays_under_a_gigabyte():
    done = subprocess.run([sys.executable, "-c", LSTM_ON_A_MILLION_POINTS], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["finite"] and "trained on the last 50,000 windows" in result["described"]
    assert result["peak_mb"] < 1024, result  # before the bound: over 9 GB within 31 s
