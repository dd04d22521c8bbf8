"""Hostile inputs: seconds to refusal and peak memory, each in a fresh process, beside the figures measured before the bounds.

    python -m bench.hostile_inputs [--skip-million]

Each case builds its input first (not measured), then times the app's own entry point on it and records the
process' peak resident memory above what it held just before (imports and the input already in memory).
The "before" column quotes the measurements that opened issue #12, on the code without these bounds.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each case: (name, before the bounds, setup code, measured code). The measured code runs after `base` is taken.
PRELUDE = """
import io, json, os, resource, sys, time, zipfile
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, {root!r})
from core.errors import DataError
"""
MEASURE = """
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
{body}
    outcome = "accepted"
except DataError as error:
    outcome = "refused: " + str(error)[:90]
seconds = time.perf_counter() - started
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "outcome": outcome}}))
"""

CASES = [
    ("a 4 KB .keras claiming an LSTM of 20,000 units", "8.5 GB passed while loading", """
import keras
from core.models.keras_training import load_network_bytes
source = zipfile.ZipFile({root!r} + "/tests/data/saved_run_v1/store/models/23ea95d8cff1-lstm.keras")
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as edited:
    for item in source.infolist():
        data = source.read(item.filename)
        edited.writestr(item, data.replace(b'"units": 8', b'"units": 20000') if item.filename == "config.json" else data)
payload = buffer.getvalue()
""", "    load_network_bytes(payload)"),
    ("a 1 MB bundle whose bundle.json inflates to 1 GB", "imported, 2 GB peak", """
from core.runs.bundle import import_bundle
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bundle.json", "w", force_zip64=True) as member:
    for _ in range(1024):
        member.write(b" " * 2 ** 20)
payload = buffer.getvalue()
""", "    import_bundle(payload)"),
    ("a bundle with a 1 GB lstm.keras member", "2 GB peak before refusal", """
from core.runs.bundle import import_bundle
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("bundle.json", json.dumps({{"format": "lstm-lens-bundle/1"}}))
    with archive.open("lstm.keras", "w", force_zip64=True) as member:
        for _ in range(1024):
            member.write(bytes(2 ** 20))
payload = buffer.getvalue()
""", "    import_bundle(payload)"),
    ("a bundle manifest nested 100,000 levels deep", "RecursionError traceback", """
from core.runs.bundle import import_bundle
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("bundle.json", "[" * 100_000 + "]" * 100_000)
payload = buffer.getvalue()
""", "    import_bundle(payload)"),
    ("a CSV of 10,001 columns (40 MB)", "refused after 22 s and 1.5 GB", """
from core.data import read_table
row = ",".join("1" for _ in range(10_001))
payload = (",".join(f"c{{i}}" for i in range(10_001)) + "\\n" + (row + "\\n") * 2000).encode()
""", "    read_table(payload, 'wide.csv')"),
    ("batch --embedding 5000000", "9 GB passed", """
from core.__main__ import main
import contextlib
""", "    with contextlib.redirect_stderr(io.StringIO()) as said:\n"
     "        try:\n"
     "            main(['batch', {root!r} + '/sample_data/m4_hourly_24.csv', '--models', 'global_lstm', '--embedding', '5000000'])\n"
     "        except SystemExit as stop:\n"
     "            raise DataError(f'exit status {{stop.code}}: ' + said.getvalue().strip()) from None"),
]

MILLION = ("the LSTM on a 1,000,000-point hourly series (1 epoch)", "9 GB passed within 31 s", """
import numpy as np, pandas as pd, keras
from core.models.lstm import LSTMForecaster
n = 1_000_000
t = np.arange(n)
y = pd.Series(100 + 10 * np.sin(2 * np.pi * t / 24) + np.random.default_rng(0).normal(0, 1, n),
              index=pd.date_range("2000-01-01", periods=n, freq="h"))
""", "    LSTMForecaster(horizon=24, season=24, units=8, epochs=1).fit(y).predict(24)")


def run_case(setup: str, body: str) -> dict:
    code = PRELUDE.format(root=str(ROOT)) + setup.format(root=str(ROOT)) + MEASURE.format(body=body.format(root=str(ROOT)))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=900)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": "failed: " + done.stderr.strip()[-200:]}
    return json.loads(lines[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-million", action="store_true", help="skip the 1,000,000-point LSTM (about a minute)")
    args = parser.parse_args(argv)
    cases = CASES + ([] if args.skip_million else [MILLION])
    print("| input | before the bounds | now: outcome | seconds | peak MB above the input |")
    print("|---|---|---|---:|---:|")
    for name, before, setup, body in cases:
        result = run_case(setup, body)
        outcome = result["outcome"].replace("|", "/")
        print(f"| {name} | {before} | {outcome} | {result['seconds']:.2f} | {result['peak_mb']:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
