"""Leaderboard presentation: which cell is best per metric (pure pandas, no Streamlit)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.evaluation.holdout import LOWER_IS_BETTER

BEST_STYLE = "background-color: #dcfce7; font-weight: 600"


def best_cells(board: pd.DataFrame, columns: list[str], level: float) -> pd.DataFrame:
    """Boolean frame: True where a cell is the best value of its column (coverage: closest to the target level)."""
    marks = pd.DataFrame(False, index=board.index, columns=board.columns)
    for col in columns:
        values = pd.to_numeric(board[col], errors="coerce")
        if values.notna().sum() == 0:
            continue
        if col == "coverage":
            gap = (values - level).abs()
            marks[col] = gap == gap.min()
        elif col in LOWER_IS_BETTER or col in ("fit s", "predict s"):
            marks[col] = values == values.min()
        else:
            marks[col] = values == values.max()
    return marks


def styled_leaderboard(board: pd.DataFrame, columns: list[str], level: float):
    marks = best_cells(board, columns, level)
    formats = {c: "{:.3f}" for c in columns if c in ("MASE", "MSIS")}
    formats.update({c: "{:.2f}" for c in columns if c in ("sMAPE", "MAPE", "fit s", "predict s")})
    formats.update({c: "{:.4g}" for c in columns if c in ("MAE", "RMSE")})
    formats.update({c: "{:.0%}" for c in columns if c in ("coverage", "skill vs seasonal naive")})
    shown = board[["model", *columns]]
    return shown.style.apply(lambda _: np.where(marks[shown.columns], BEST_STYLE, ""), axis=None).format(formats, na_rep="—")
