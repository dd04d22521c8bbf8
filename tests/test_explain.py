"""Where the LSTM loses, the app says why, with facts about the series and its training."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from core.evaluation.explain import lstm_loss_reasons
from core.evaluation.holdout import Evaluation, ModelResult


def evaluation(lstm_mase: float, test_values: np.ndarray, windows: int = 500, shrink: float = 1.0) -> Evaluation:
    index = pd.date_range("2000-01-01", periods=120 + len(test_values), freq="MS")
    t = np.arange(120)
    train = pd.Series(100 + 2 * t + 5 * np.sin(2 * np.pi * t / 12), index=index[:120])
    actual = pd.Series(test_values, index=index[120:])
    network = SimpleNamespace(train_windows_=windows, shrink_=shrink)
    results = {"snaive": ModelResult("snaive", "Seasonal naive", metrics={"MASE": 1.0}),
               "lstm": ModelResult("lstm", "LSTM", metrics={"MASE": lstm_mase}, model=network)}
    return Evaluation(train=train, actual=actual, season=12, level=0.9, results=results)


def test_no_reasons_when_the_lstm_wins():
    assert lstm_loss_reasons(evaluation(0.8, np.full(12, 340.0))) == []


def test_a_turn_the_history_never_showed_is_named():
    falling = 338 - 10 * np.arange(12.0)  # the training part rose 2 a step; the test part falls 10 a step
    reasons = lstm_loss_reasons(evaluation(2.5, falling))
    assert reasons[0] == "Here the LSTM (MASE 2.500) loses to seasonal naive (MASE 1.000)."
    assert any("moved unlike the end of the training part" in r for r in reasons)


def test_few_windows_and_a_correction_that_did_not_help_are_named():
    continuing = 340 + 2 * np.arange(12.0)
    reasons = lstm_loss_reasons(evaluation(1.2, continuing, windows=120, shrink=0.2))
    assert any("120 training windows" in r for r in reasons)
    assert any("only 20% of its correction" in r for r in reasons)
    assert not any("moved unlike" in r for r in reasons)
