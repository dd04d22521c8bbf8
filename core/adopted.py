"""Scoring an uploaded LSTM on the current series, as if it had been trained here."""
from __future__ import annotations

import pandas as pd

from core.evaluation import metrics as M
from core.evaluation.holdout import Evaluation, ModelResult, check_split
from core.models.lstm import adopt


def evaluate_uploaded(keras_model, y: pd.Series, covariates: pd.DataFrame | None, season: int, level: float = 0.9) -> Evaluation:
    horizon = int(keras_model.output_shape[-1])
    check_split(len(y), horizon)
    train = y.iloc[:-horizon]
    cov_train = covariates.iloc[:-horizon] if covariates is not None else None
    model = adopt(keras_model, train, cov_train, season, level)
    forecast = model.predict(horizon)
    actual = y.iloc[-horizon:]
    result = ModelResult("lstm", "LSTM", forecast=forecast, model=model, description=f"uploaded model, lookback {model.lookback_}, horizon {horizon}",
                         metrics=M.all_metrics(actual.to_numpy(), forecast.mean, forecast.lower, forecast.upper, level, train.to_numpy(), season),
                         fit_seconds=0.0, predict_seconds=0.0)
    return Evaluation(train=train, actual=actual, season=season, level=level, results={"lstm": result})
