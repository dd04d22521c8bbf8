"""Turning table cells into floats while remembering which cells were not numbers."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import Text


@dataclass(frozen=True)
class ParsedNumbers:
    values: pd.Series     # float, NaN where missing, text or infinite
    raw: pd.Series        # the cells as text, for messages
    present: pd.Series    # cell was not empty
    text: pd.Series       # cell was filled but is not a number
    infinite: pd.Series   # cell was +/- infinity


_SPACES = "[\\s\u00a0\u202f'’]"  # the characters themselves, not backslash-u escapes, which RE2 (pyarrow strings) rejects


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


# Which mark a number cell uses for decimals. A cell is evidence only when it can be read one way:
# "1,234.5", "12.34", "1234.567", "1,234,567" use a decimal point; "1.234,5", "12,34", "1234,567",
# "1.234.567" a decimal comma. "104.237" and "85,581" (one mark, three digits after it, at most three
# before) read either way, so they never outvote a cell that can be read one way only.
_DOT_DECIMAL = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$|^\d*\.(\d{1,2}|\d{4,})$|^\d{4,}\.\d{3}$|^\d{1,3}(,\d{3}){2,}$")
_COMMA_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$|^\d*,(\d{1,2}|\d{4,})$|^\d{4,},\d{3}$|^\d{1,3}(\.\d{3}){2,}$")
_AMBIGUOUS_DOT = re.compile(r"^\d{1,3}\.\d{3}$")
_AMBIGUOUS_COMMA = re.compile(r"^\d{1,3},\d{3}$")


@dataclass(frozen=True)
class DecimalMark:
    comma: bool               # True: ',' is the decimal mark and '.' groups thousands
    note: str | None = None   # said to the user when the reading rested on cells that read either way


def _bare(cells: pd.Series) -> pd.Series:
    """Cell text without spaces, sign and accounting brackets: what is left is digits and marks."""
    text = cells.dropna().astype(str).str.replace(_SPACES, "", regex=True)
    return text.str.replace(r"^[+-]|^\((.*)\)$", r"\1", regex=True)


def decimal_mark(cells: pd.Series, column: str, delimiter: str, sample: int = 20_000) -> DecimalMark:
    """Decide a text column's decimal mark from the cells that can be read only one way.

    With none of those, a lone mark followed by three digits is read as a decimal point, or as a
    decimal comma in a ';'-separated file (where commas are decimal marks), and the note says so.
    """
    if len(cells) > sample:  # spread over the whole column, not just its start
        cells = cells.iloc[np.linspace(0, len(cells) - 1, sample).astype(int)]
    bare = _bare(cells)
    dots, commas = int(bare.str.match(_DOT_DECIMAL).sum()), int(bare.str.match(_COMMA_DECIMAL).sum())
    if dots != commas:
        return DecimalMark(comma=commas > dots)
    ambiguous = bare[bare.str.match(_AMBIGUOUS_DOT) | bare.str.match(_AMBIGUOUS_COMMA)]
    if ambiguous.empty:
        return DecimalMark(comma=False)
    example = ambiguous.iloc[0]
    comma = "," in example and delimiter == ";"
    mark = "," if comma else "."
    if mark in example:
        reading = Text("with '{mark}' as the decimal mark ({value:g})", mark=mark, value=float(example.replace(",", ".")))
    else:
        reading = Text("with '{mark}' separating thousands ({value:g})", mark=example[-4], value=float(example[:-4] + example[-3:]))
    return DecimalMark(comma=comma, note=Text(
        "Column '{column}': numbers like '{example}' were read {reading}; nothing in the column says otherwise. "
        "If that is wrong, choose the decimal mark under Cleaning options (or --decimal on the command line).",
        column=column, example=example, reading=reading))
