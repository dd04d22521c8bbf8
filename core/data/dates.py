"""Reading timestamps the way people write them, and finding a series' frequency."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import DataError
from core.i18n import N_, Text

STEPS = "steps"  # the frequency of a series read without dates, on a step index 1, 2, 3, …
EARLIEST = pd.Timestamp("1678-01-01")
LATEST = pd.Timestamp("2261-12-31")


@dataclass(frozen=True)
class ParsedDates:
    dates: pd.Series          # datetime64 (naive), NaT where unreadable
    notes: tuple[str, ...]    # what was assumed, for the cleaning report


_KOREAN = re.compile(r"^\s*(\d{4})\s*년\s*(\d{1,2})\s*월(?:\s*(\d{1,2})\s*일)?(.*)$")


def _korean_to_iso(text: str) -> str:
    match = _KOREAN.match(text)
    if not match:
        return text
    year, month, day, rest = match.groups()
    return f"{year}-{int(month):02d}-{int(day or 1):02d}{rest}"


def parse_dates(cells: pd.Series, column: str, *, strict: bool = True) -> ParsedDates:
    """Parse a column of timestamps.

    Understands ISO 8601 (with or without UTC offsets), common day/month orders,
    Korean dates (2024년 3월 1일), Excel/Parquet datetimes and epoch seconds or
    milliseconds. With ``strict`` a column that is mostly unreadable, or a date
    outside 1678–2261, raises ``DataError`` naming the row and the value.
    """
    cells = cells.reset_index(drop=True)
    notes: list[str] = []
    if pd.api.types.is_datetime64_any_dtype(cells):
        parsed = cells
    elif pd.api.types.is_numeric_dtype(cells) or _all_integer_text(cells):
        parsed, unit_note = _from_epoch(cells, column)
        if parsed is None:
            if strict:
                raise DataError(Text("Column '{column}' holds plain numbers, not dates (e.g. '{cell}'). "
                                     "Choose the column with dates, or write the dates as YYYY-MM-DD.", column=column, cell=cells.iloc[0]))
            return ParsedDates(pd.Series(pd.NaT, index=cells.index), ())
        notes.append(unit_note)
    else:
        text = cells.astype(object).where(cells.notna(), "").astype(str).str.strip()
        if text.str.contains("년", regex=False).any():
            text = text.map(_korean_to_iso)
        parsed, format_note = _from_text(text)
        if format_note:
            notes.append(format_note)

    if getattr(parsed.dt, "tz", None) is not None:
        offsets = sorted({_offset_text(ts) for ts in parsed.dropna().head(5000)})
        notes.append(Text("Timestamps carried the UTC offset {offset}; local times were kept and the offset dropped.",
                          offset=offsets[0] if offsets else ""))
        parsed = parsed.dt.tz_localize(None)

    filled = cells.notna() & (cells.astype(str).str.strip() != "")
    bad = filled & parsed.isna()
    if strict:
        too_late = parsed.notna() & ((parsed > LATEST) | (parsed < EARLIEST))
        if too_late.any():
            row = int(too_late.to_numpy().argmax())
            raise DataError(Text("Column '{column}' row {row} has the date '{cell}', outside the range this app handles "
                                 "(years 1678–2261). Fix or remove that row (placeholder dates like 9999-12-31 often mean 'no date').",
                                 column=column, row=row + 2, cell=cells.iloc[row]))
        if filled.sum() and bad.sum() > 0.5 * filled.sum():
            row = int(bad.to_numpy().argmax())
            raise DataError(Text("Column '{column}' does not hold dates this app can read: {bad:,} of {filled:,} "
                                 "cells are unreadable (first at row {row}: '{cell}'). Choose the date column, "
                                 "or write dates as YYYY-MM-DD.", column=column, bad=int(bad.sum()), filled=int(filled.sum()),
                                 row=row + 2, cell=cells.iloc[row]))
        if bad.any():
            row = int(bad.to_numpy().argmax())
            notes.append(Text("{count:,} row(s) with unreadable dates in '{column}' (first at row {row}: '{cell}') were dropped.",
                              count=int(bad.sum()), column=column, row=row + 2, cell=cells.iloc[row]))
        missing = int((~filled).sum())
        if missing:
            notes.append(Text("{count:,} row(s) with no date in '{column}' were dropped.", count=missing, column=column))
    else:
        parsed = parsed.where((parsed <= LATEST) & (parsed >= EARLIEST))
    return ParsedDates(parsed.astype("datetime64[ns]"), tuple(notes))


def _offset_text(ts: pd.Timestamp) -> str:
    minutes = int(ts.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _all_integer_text(cells: pd.Series) -> bool:
    sample = cells.dropna().astype(str).str.strip().head(200)
    sample = sample[sample != ""]
    return len(sample) > 0 and bool(sample.str.fullmatch(r"-?\d{9,13}").all())


def _from_epoch(cells: pd.Series, column: str):
    numbers = pd.to_numeric(cells, errors="coerce")
    finite = numbers.dropna()
    if finite.empty:
        return None, ""
    low, high = finite.min(), finite.max()
    if 1e8 <= low and high <= 4.2e9:
        return pd.to_datetime(numbers, unit="s", errors="coerce"), Text("'{column}' was read as Unix time in seconds (UTC).", column=column)
    if 1e11 <= low and high <= 4.2e12:
        return pd.to_datetime(numbers, unit="ms", errors="coerce"), Text("'{column}' was read as Unix time in milliseconds (UTC).", column=column)
    return None, ""


_NUMERIC_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})")


def _day_first(present: pd.Series) -> bool:
    """European 31.12.2024, or any date whose first number cannot be a month."""
    parts = present.head(5000).str.extract(_NUMERIC_DATE)
    parts = parts.dropna()
    if parts.empty:
        return False
    first, sep, second = parts[0].astype(int), parts[1], parts[2].astype(int)
    if (second > 12).any():
        return False
    return bool((first > 12).any() or (sep == ".").mean() > 0.5)


def _from_text(text: pd.Series):
    present = text[text != ""]
    if present.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), ""
    cells = text.where(text != "", None)
    day_first = _day_first(present)
    note = Text("Dates were read day first (31.12.2024 style).") if day_first else ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in ("ISO8601", None):
            try:
                return pd.to_datetime(cells, format=fmt, dayfirst=day_first, errors="raise"), note
            except pd.errors.OutOfBoundsDatetime:
                break
            except (ValueError, TypeError, OverflowError) as error:
                if "offset" in str(error).lower() or "timezone" in str(error).lower():
                    try:
                        parsed = pd.to_datetime(cells, format="ISO8601", utc=True, errors="raise")
                        return parsed.dt.tz_localize(None), Text("Timestamps carried several UTC offsets; all were converted to UTC.")
                    except (ValueError, TypeError):
                        pass
        # Several formats, or a few bad cells: read each cell on its own.
        try:
            parsed = pd.to_datetime(cells, format="mixed", dayfirst=day_first, errors="coerce")
        except (ValueError, TypeError):
            parsed = pd.to_datetime(cells, format="mixed", dayfirst=day_first, errors="coerce", utc=True).dt.tz_localize(None)
            return parsed, Text("Dates were written in several ways or time zones; each was read on its own and converted to UTC.")
    if _has_formats_mix(present):
        return parsed, Text("Dates were written in several formats; each was read on its own. Check that day and month were not swapped.")
    return parsed, note


def _has_formats_mix(present: pd.Series) -> bool:
    shapes = present.head(2000).str.replace(r"\d", "9", regex=True).str.replace(r"[A-Za-z]+", "a", regex=True)
    return shapes.nunique() > 1


# --------------------------------------------------------------------------- frequency
_SEASONS = {  # minutes and hours are handled in season_candidates
    "D": (7, 365),
    "B": (5,),
    "W": (52,),
    "M": (12,),
    "Q": (4,),
    "Y": (1,),
}


def infer_frequency(index: pd.DatetimeIndex, requested: str | None = None) -> tuple[str, str]:
    """Return a pandas frequency alias for the index and a sentence saying how it was found."""
    if requested:
        try:
            offset = pd.tseries.frequencies.to_offset(requested)
        except ValueError:
            raise DataError(Text("'{freq}' is not a frequency this app knows; use e.g. h, 30min, D, W, MS or QS.", freq=requested)) from None
        return offset.freqstr, Text("Frequency set to {frequency} as chosen.", frequency=describe_frequency(offset.freqstr))
    unique = index.unique()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 4 returns an offset here; we want its string
        inferred = pd.infer_freq(unique) if len(unique) >= 3 else None
    inferred = getattr(inferred, "freqstr", inferred)
    if inferred:
        return inferred, Text("Frequency detected: {frequency}.", frequency=describe_frequency(inferred))
    deltas = np.diff(unique.asi8) / 1e9
    step = float(pd.Series(deltas).mode().iloc[0])
    day = 86400.0
    if 28 * day <= step <= 31 * day:
        alias = "MS" if (unique.day == 1).mean() > 0.8 else "ME"
    elif 89 * day <= step <= 92 * day:
        alias = "QS" if (unique.day == 1).mean() > 0.8 else "QE"
    elif 365 * day <= step <= 366 * day:
        alias = "YS" if (unique.dayofyear == 1).mean() > 0.8 else "YE"
    elif step == 7 * day:
        alias = f"W-{unique[0].day_name()[:3].upper()}"
    elif step % day == 0:
        alias = "D" if step == day else f"{int(step // day)}D"
    else:
        alias = pd.tseries.frequencies.to_offset(pd.Timedelta(seconds=step)).freqstr
    return alias, Text("Frequency detected from the most common step: {frequency}.", frequency=describe_frequency(alias))


def _base(freq: str) -> tuple[int, str]:
    offset = pd.tseries.frequencies.to_offset(freq)
    name = offset.rule_code
    n = offset.n
    for key in ("min", "h", "B", "D", "W", "M", "Q", "Y"):
        if name.startswith(key) or (key == "M" and name in ("MS", "ME")):
            return n, key
    if name in ("s", "ms", "us", "ns"):
        return n, "s"
    return n, name


def is_steps(index_or_freq) -> bool:
    """True for a series (or its frequency) numbered 1, 2, 3, … rather than dated."""
    if isinstance(index_or_freq, str):
        return index_or_freq == STEPS
    return not isinstance(index_or_freq, pd.DatetimeIndex)


def step_index(start: int, length: int) -> pd.Index:
    return pd.RangeIndex(start, start + length, name="step")


_EVERY = {  # (every one, every n)
    "s": (N_("every second"), N_("every {n} seconds")), "min": (N_("every minute"), N_("every {n} minutes")),
    "h": (N_("every hour"), N_("every {n} hours")), "D": (N_("every day"), N_("every {n} days")),
    "B": (N_("every business day"), N_("every {n} business days")), "W": (N_("every week"), N_("every {n} weeks")),
    "M": (N_("every month"), N_("every {n} months")), "Q": (N_("every quarter"), N_("every {n} quarters")),
    "Y": (N_("every year"), N_("every {n} years")),
}


def describe_frequency(freq: str) -> Text:
    """"every hour", "every 30 minutes", …, in words a reader knows (``tr`` shows it in their language)."""
    if freq == STEPS:
        return Text("no dates")
    n, base = _base(freq)
    if base not in _EVERY:
        return Text("every {freq}", freq=freq)
    return Text(_EVERY[base][n != 1], n=n)


def season_candidates(freq: str, length: int) -> tuple[int, ...]:
    """Seasonal periods that fit the frequency, most common first, each seen at least twice.

    Without dates nothing says which cycle to expect: 1 (none) comes first and the common cycles follow,
    so the autocorrelation has to earn a seasonal choice."""
    if freq == STEPS:
        return (1, *(s for s in (4, 7, 12, 24, 52) if 2 * s <= length))
    n, base = _base(freq)
    if base == "min":
        per_hour = max(1, 60 // n)
        options = (per_hour * 24, per_hour * 24 * 7) if per_hour > 1 else (60, 1440)
    elif base == "h":
        options = (max(1, 24 // n), max(1, 168 // n))
    else:
        options = tuple(max(1, s // n) for s in _SEASONS.get(base, (1,)))
    fitting = tuple(s for s in options if s > 1 and 2 * s <= length)
    return fitting or (1,)
