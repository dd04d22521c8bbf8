"""Turning table cells into floats while remembering which cells were not numbers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ParsedNumbers:
    values: pd.Series     # float, NaN where missing, text or infinite
    raw: pd.Series        # the cells as text, for messages
    present: pd.Series    # cell was not empty
    text: pd.Series       # cell was filled but is not a number
    infinite: pd.Series   # cell was +/- infinity


_SPACES = r"[\s\u00a0\u202f'’]"


def parse_numbers(cells: pd.Series, *, decimal_comma: bool = False) -> ParsedNumbers:
    """Parse cells to float; thousands separators and a decimal comma are understood."""
    cells = cells.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(cells):
        cells = cells.astype(object)
    if pd.api.types.is_numeric_dtype(cells):
        numbers = pd.to_numeric(cells, errors="coerce").astype(float)
        raw = cells.astype(str)
        present = cells.notna()
        text = pd.Series(False, index=cells.index)
    else:
        raw = cells.astype(object).where(cells.notna(), "").astype(str).str.strip()
        present = raw != ""
        cleaned = raw.str.replace(_SPACES, "", regex=True)
        if decimal_comma:
            cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        else:
            cleaned = cleaned.str.replace(",", "", regex=False)
        cleaned = cleaned.str.replace(r"^\((.*)\)$", r"-\1", regex=True)  # accounting negatives
        numbers = pd.to_numeric(cleaned.where(present, None), errors="coerce").astype(float)
        text = present & numbers.isna()
    infinite = pd.Series(np.isinf(numbers.to_numpy()), index=cells.index)
    numbers = numbers.where(~infinite)
    return ParsedNumbers(values=numbers, raw=raw, present=present, text=text, infinite=infinite)
