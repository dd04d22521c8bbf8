"""Reading the M4 competition's wide CSV files (one row per series, values padded with blanks)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def read_m4(train_csv: Path, test_csv: Path | None = None) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    train = pd.read_csv(train_csv, index_col=0)
    test = pd.read_csv(test_csv, index_col=0) if test_csv else None
    series = {}
    for sid, row in train.iterrows():
        values = row.to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        future = test.loc[sid].to_numpy(dtype=float) if test is not None else None
        series[str(sid)] = (values, future)
    return series


def to_long(series: dict[str, tuple[np.ndarray, np.ndarray | None]], freq: str = "h", start: str = "2000-01-01",
            with_test: bool = False) -> pd.DataFrame:
    """Long format (unique_id, ds, y) of the training parts (followed by the test parts with ``with_test``),
    on an arbitrary regular calendar."""
    frames = []
    for sid, (values, future) in series.items():
        if with_test and future is not None:
            values = np.r_[values, future]
        ds = pd.date_range(start, periods=len(values), freq=freq)
        frames.append(pd.DataFrame({"unique_id": sid, "ds": ds, "y": values}))
    return pd.concat(frames, ignore_index=True)
