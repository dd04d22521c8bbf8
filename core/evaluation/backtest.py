"""Rolling-origin evaluation: refit every model at several cut-off points and score each forecast."""
from __future__ import annotations

import pandas as pd

from core.errors import DataError
from core.i18n import Text, table
from core.evaluation.holdout import ModelSpec, Split, fit_predict, score
from core.evaluation.leaderboard import METRIC_COLUMNS
from core.models.base import no_progress


def backtest(series: pd.Series, specs: list[ModelSpec], horizon: int, *, origins: int, stride: int, season: int,
             window: str = "expanding", level: float = 0.9, covariates=None, season_options=(), log: bool = False,
             on_progress=no_progress) -> pd.DataFrame:
    """Rolling-origin evaluation: ``origins`` forecasts of ``horizon`` steps, ``stride`` apart, ending at the series' end.

    Returns one row per (model, origin) with its metrics; ``window='sliding'`` keeps the
    training length fixed at that of the first origin.
    """
    n = len(series)
    last_origin = n - horizon
    first_origin = last_origin - (origins - 1) * stride
    if origins < 1 or stride < 1:
        raise DataError(Text("A backtest needs at least 1 origin and a stride of at least 1."))
    if first_origin < 8:
        raise DataError(Text("{origins} origins {stride} steps apart with horizon {horizon} need {value} points; this series "
                             "has {n}. Use fewer origins or a smaller stride.", origins=origins, stride=stride, horizon=horizon, value=8 + (origins - 1) * stride + horizon, n=n))
    rows = []
    total = origins * len(specs)
    done = 0
    for i in range(origins):
        origin = first_origin + i * stride
        start = 0 if window == "expanding" else origin - first_origin
        part = Split(series.iloc[start:origin], series.iloc[origin:origin + horizon],
                     covariates.iloc[start:origin] if covariates is not None else None, log)
        for spec in specs:
            result = fit_predict(spec, part.train, part.cov_train, horizon, season=season, level=level,
                                 season_options=season_options, log=log)
            row = {"model": spec.label, "origin": series.index[origin - 1], "train points": len(part.train), "error": result.error or ""}
            if result.error is None:
                row.update(score(result.forecast, part.actual, part.insample, season, level))
                row["fit s"] = result.fit_seconds
            rows.append(row)
            done += 1
            on_progress(done / total, Text("origin {origin}/{origins}: {label}", origin=i + 1, origins=origins, label=Text(spec.label)))
    return table(rows)


def backtest_summary(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return rows
    numeric = [c for c in METRIC_COLUMNS + ["fit s"] if c in rows.columns]
    return rows.groupby("model")[numeric].mean().sort_values("MASE" if "MASE" in numeric else numeric[0]).reset_index()
