"""The leaderboard: one row per model, best first, and which cell is best per metric (pure pandas, no Streamlit)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.i18n import table
from core.models import SNAIVE

REFERENCE = SNAIVE
METRIC_COLUMNS = ["MAE", "RMSE", "MAPE", "sMAPE", "MASE", "coverage", "MSIS"]
LOWER_IS_BETTER = {"MAE", "RMSE", "MAPE", "sMAPE", "MASE", "MSIS"}


def leaderboard(results: dict) -> pd.DataFrame:
    """One row per model (key -> ModelResult), best MASE first, failed models last with their reason."""
    rows = []
    reference = results.get(REFERENCE)
    ref_mase = reference.metrics.get("MASE") if reference and reference.error is None else None
    for r in results.values():
        row = {"model": r.label, "key": r.key}
        if r.error:
            row.update({c: np.nan for c in METRIC_COLUMNS})
            row["status"] = r.error
        else:
            row.update({c: float(r.metrics.get(c, np.nan)) for c in METRIC_COLUMNS})
            row["status"] = "ok"
        mase = row.get("MASE")
        row["skill vs seasonal naive"] = (1 - mase / ref_mase) if ref_mase and np.isfinite(ref_mase) and ref_mase > 0 and np.isfinite(mase) else np.nan
        row["fit s"] = r.fit_seconds
        row["predict s"] = r.predict_seconds
        row["details"] = r.description
        rows.append(row)
    frame = table(rows)
    if frame.empty:
        return frame
    sort_key = frame["MASE"].where(frame["MASE"].notna(), frame["sMAPE"])
    return frame.assign(_sort=sort_key).sort_values("_sort", na_position="last").drop(columns="_sort").reset_index(drop=True)



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


def styled_leaderboard(board: pd.DataFrame, columns: list[str], level: float, header=str):
    """The board with its best cells marked and numbers formatted; ``header`` names each column for the reader."""
    marks = best_cells(board, columns, level)
    formats = {c: "{:.3f}" for c in columns if c in ("MASE", "MSIS")}
    formats.update({c: "{:.2f}" for c in columns if c in ("sMAPE", "MAPE", "fit s", "predict s")})
    formats.update({c: "{:.4g}" for c in columns if c in ("MAE", "RMSE")})
    formats.update({c: "{:.0%}" for c in columns if c in ("coverage", "skill vs seasonal naive")})
    names = {c: header(c) for c in ["model", *columns]}
    shown = board[list(names)].rename(columns=names)
    styles = np.where(marks[list(names)], BEST_STYLE, "")
    return shown.style.apply(lambda _: styles, axis=None).format({names[c]: f for c, f in formats.items()}, na_rep="—")
