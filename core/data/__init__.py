"""Bytes -> table -> clean regular series: read_table, detect_columns, to_series."""
from core.data.clean import DUPLICATE_RULES, FILL_RULES, CleanSeries, default_test_size, to_series
from core.data.columns import ColumnGuess, detect_columns
from core.data.read import read_table

__all__ = ["read_table", "detect_columns", "to_series", "CleanSeries", "ColumnGuess", "DUPLICATE_RULES", "FILL_RULES",
           "default_test_size"]
