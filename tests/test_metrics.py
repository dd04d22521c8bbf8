"""Metrics: known values by hand, and the published M4 Hourly scores reproduced exactly."""
import numpy as np
import pandas as pd
import pytest

from core.evaluation import metrics as M
from core.data.m4 import read_m4
from core.models.naive import Naive2, SeasonalNaive
from tests.conftest import ROOT

M4 = ROOT / "tests" / "data" / "m4"


def test_known_values():
    assert M.mae([1, 2, 3], [2, 2, 2]) == pytest.approx(2 / 3)
    assert M.rmse([1, 2, 3], [2, 2, 2]) == pytest.approx(np.sqrt(2 / 3))
    assert M.mape([100, 200], [110, 180]) == pytest.approx(10.0)
    assert M.smape([100], [110]) == pytest.approx(200 * 10 / 210)
    assert M.smape([0], [0]) == 0.0
    assert M.mase([7, 8], [8, 8], insample=[1, 2, 3, 4, 5, 6], season=1) == pytest.approx(0.5)
    assert M.mase([10], [12], insample=[1, 5, 2, 6, 3, 7], season=2) == pytest.approx(2 / 1)
    assert M.coverage([1, 5, 9], [0, 0, 0], [4, 4, 10]) == pytest.approx(2 / 3)
    # width 10, miss by 2 above at alpha 0.2: 10 + 2/0.2 * 2 = 30
    assert M.winkler([12], [0], [10], level=0.8) == pytest.approx(30.0)
    assert M.owa(10, 1, 20, 2) == pytest.approx(0.5)


def test_mape_is_undefined_at_zero_and_says_why():
    value = M.mape([0, 5], [1, 5])
    assert np.isnan(value)
    assert "1 actual value(s) are zero" in value.reason


def test_mase_undefined_for_flat_history():
    value = M.mase([5], [5], insample=[3, 3, 3, 3], season=1)
    assert np.isnan(value) and "scale is zero" in value.reason


def published(method: str) -> tuple[float, float]:
    table = pd.read_csv(M4 / "m4_benchmarks_point_by_frequency.csv").dropna(subset=["sMAPE_Hourly"])
    row = table[table["Method"] == method].iloc[0]
    return float(row["sMAPE_Hourly"]), float(row["MASE_Hourly"])


@pytest.fixture(scope="module")
def m4_hourly():
    return read_m4(M4 / "Hourly-train.csv", M4 / "Hourly-test.csv")


@pytest.mark.parametrize("method, model", [("sNaive", SeasonalNaive), ("Naive2", Naive2)])
def test_m4_hourly_scores_reproduced(m4_hourly, method, model):
    scores = []
    for values, future in m4_hourly.values():
        series = pd.Series(values, index=pd.date_range("2000-01-01", periods=len(values), freq="h"))
        forecast = model(season=24).fit(series).predict(48).mean
        forecast = np.maximum(forecast, 0)  # M4 sets negative forecasts to zero
        scores.append((M.smape(future, forecast), M.mase(future, forecast, values, 24)))
    smape, mase = np.mean(scores, axis=0)
    assert len(scores) == 414
    assert (round(smape, 3), round(mase, 3)) == published(method)
