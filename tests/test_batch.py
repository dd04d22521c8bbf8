"""Batch forecasting: bad series are skipped with a reason, never abort the batch; OWA relative to Naive2."""
import numpy as np
import pandas as pd
import pytest

from core.batch import run_batch
from core.errors import DataError
from core.evaluation import ModelSpec


def long_frame():
    rng = np.random.default_rng(0)
    parts = []
    for sid, n in (("good1", 120), ("good2", 120), ("short", 9)):
        t = np.arange(n)
        parts.append(pd.DataFrame({"unique_id": sid, "ds": pd.date_range("2020-01-01", periods=n, freq="D"),
                                   "y": 20 + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1, n)}))
    parts.append(pd.DataFrame({"unique_id": "empty", "ds": pd.date_range("2020-01-01", periods=30, freq="D"), "y": np.nan}))
    return pd.concat(parts, ignore_index=True)


def test_bad_series_are_skipped_with_a_reason():
    result = run_batch(long_frame(), [ModelSpec("snaive"), ModelSpec("regression")], horizon=7, season=7)
    assert set(result.skipped["unique_id"]) == {"short", "empty"}
    reasons = dict(zip(result.skipped["unique_id"], result.skipped["reason"]))
    assert "too few" in reasons["short"] and "empty" in reasons["empty"]
    assert set(result.metrics["unique_id"]) == {"good1", "good2"}
    summary = result.summary.set_index("model")
    assert summary.loc["Naive2", "OWA"] == pytest.approx(1.0)
    assert summary.loc["Linear regression", "OWA"] < summary.loc["Naive2", "OWA"]


def test_batch_with_no_usable_series_says_so():
    frame = long_frame()
    with pytest.raises(DataError, match="No series in the file could be forecast"):
        run_batch(frame[frame["unique_id"].isin(["short", "empty"])], [ModelSpec("snaive")], horizon=7, season=7)
