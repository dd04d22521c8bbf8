#!/usr/bin/env bash
# The model tests and the per-epoch benchmark on a GPU machine without TensorFlow, under PyTorch and JAX.
#
#   bench/gpu_check.sh [seconds per backend, default 170]
#
# Meant for a lent GPU machine whose Python has PyTorch, JAX, NumPy, pandas, SciPy, statsmodels, pytest, pytest-xdist
# and hypothesis but not TensorFlow or Streamlit: the Keras wheel and the few libraries core/ imports beside those
# travel as wheels in .whl/ (BENCHMARKS.md, "The LSTM on a GPU"): keras, namex, optree, plotly, babel, optuna, alembic,
# mako, colorlog, sqlalchemy, jsonschema, jsonschema-specifications, referencing and rpds-py, at the versions .venv has
# (`pip download --no-deps --only-binary=:all: --python-version 3.12 --platform manylinux2014_x86_64 ...`; 28 MB).
# Page and browser tests need Streamlit and stay on the CPU machines. Logs go to $OUT (or ./gpu-check) as
# <backend>.log and devices-<backend>.log.
set -u
budget=${1:-170}
out=${OUT:-gpu-check}
mkdir -p "$out"
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONUNBUFFERED=1 XLA_PYTHON_CLIENT_PREALLOCATE=false TF_CPP_MIN_LOG_LEVEL=3
nvidia-smi -L 2>/dev/null
tests="tests/test_models.py tests/test_gates.py tests/test_lens.py tests/test_attribution.py
  tests/test_stretches.py tests/test_validation_loss.py tests/test_epoch_loop.py tests/test_explain.py
  tests/test_base_season.py tests/test_gru.py tests/test_batch.py tests/test_tuning.py tests/test_device.py"
for backend in torch jax; do
  echo "== $backend: model tests"
  # Exact float32 in cuBLAS and cuDNN, as the NumPy replay computes (tests/conftest.py does the same for XLA's
  # products); the Dask cluster tests need distributed, and the Train page's tuning test Streamlit.
  NVIDIA_TF32_OVERRIDE=0 KERAS_BACKEND=$backend timeout "$budget" python3 -m pytest -q -n 8 -p no:cacheprovider -r fE \
    -k "not dask and not cluster and not scheduler_setting and not train_page" $tests > "$out/$backend.log" 2>&1
  echo "exit $?"; tail -n 25 "$out/$backend.log"
done
echo "== jax: seconds per epoch"
KERAS_BACKEND=jax timeout 120 python3 -m bench.devices --samples airline,electricity --epochs 20 \
  2>&1 | tee "$out/devices-jax.log" | grep -v -i warning
