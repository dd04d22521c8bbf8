"""Sensible starting settings from a series' frequency and length."""
from __future__ import annotations


def default_test_size(season: int, length: int) -> int:
    """One season (or 10 points) held out, never more than a fifth of the series."""
    wanted = season if season > 1 else 10
    if season > 100:  # e.g. a weekly cycle of half-hourly data: hold out a day-sized piece
        wanted = max(1, season // 7)
    return int(max(1, min(wanted, length // 5)))
