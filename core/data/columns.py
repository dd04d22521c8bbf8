"""Guessing which column holds the dates, the values, the series id and the covariates."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.data.dates import parse_dates
from core.data.numbers import parse_numbers
from core.errors import DataError

@dataclass(frozen=True)
class ColumnGuess:
    """Detected roles of columns; every one is a default the user may change."""

    date: str | None
    target: str | None
    numeric: tuple[str, ...]
    id: str | None = None
    ids: tuple[str, ...] = ()


_DATE_NAMES = re.compile(r"(date|time|^ds$|timestamp|datetime|period|month|week|day|year|날짜|일자|일시|시간|시각|년월)", re.I)
_ID_NAMES = re.compile(r"^(unique_id|id|series|series_id|item|item_id|sku|store|store_id|name|종목|지점|코드)$", re.I)
_TARGET_NAMES = re.compile(r"^(y|value|target|demand|load|sales|passengers|count|price|close|값|수요|판매량|매출)$", re.I)


def detect_columns(frame: pd.DataFrame) -> ColumnGuess:
    sample = frame.head(2000)
    date = _guess_date(sample)
    numeric = [c for c in frame.columns if c != date and _mostly_numeric(sample[c], c in frame.attrs.get("decimal_comma", []))]
    ident = None
    for col in frame.columns:
        if col in (date, *numeric):
            continue
        if _ID_NAMES.match(col) or _looks_like_id(frame[col]):
            ident = col
            break
    others = [c for c in frame.columns if c not in (date, ident)]
    # With no numeric column, still propose one so to_series can say what is in it.
    target = next((c for c in numeric if _TARGET_NAMES.match(c)), numeric[0] if numeric else (others[0] if others else None))
    ids: tuple[str, ...] = ()
    if ident is not None:
        ids = tuple(str(v) for v in pd.unique(frame[ident].astype(str))[:10000])
    return ColumnGuess(date=date, target=target, numeric=tuple(numeric), id=ident, ids=ids)


def _guess_date(sample: pd.DataFrame) -> str | None:
    scored = []
    for col in sample.columns:
        values = sample[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            return col
        named = bool(_DATE_NAMES.search(col))
        if pd.api.types.is_numeric_dtype(values) and not named:
            continue
        try:
            parsed = parse_dates(values.head(200), col, strict=False)
        except DataError:
            continue
        share = parsed.dates.notna().mean()
        if share >= 0.8:
            scored.append((share + (0.5 if named else 0.0), col))
    return max(scored)[1] if scored else None


def _mostly_numeric(values: pd.Series, decimal_comma: bool) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    parsed = parse_numbers(values, decimal_comma=decimal_comma)
    filled = parsed.present.sum()
    return filled > 0 and parsed.values.notna().sum() >= 0.8 * filled


def _looks_like_id(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values):
        return False
    distinct = values.nunique(dropna=True)
    return 1 < distinct <= max(2, len(values) // 10)


