"""Table -> clean regular series: sorted, one frequency, duplicates and gaps handled, every change reported."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.data.dates import STEPS, infer_frequency, parse_dates, season_candidates, step_index
from core.data.numbers import parse_numbers
from core.errors import DataError

DUPLICATE_RULES = ("mean", "sum", "first", "last")
FILL_RULES = ("interpolate", "ffill", "leave")


@dataclass(frozen=True)
class CleanSeries:
    """A regular series ready for modelling, and what was done to get it."""

    y: pd.Series
    covariates: pd.DataFrame | None
    freq: str
    season: int
    report: tuple[str, ...]
    log: bool = False
    season_options: tuple[int, ...] = field(default=())

    @property
    def name(self) -> str:
        return str(self.y.name)


def to_series(
    frame: pd.DataFrame,
    *,
    date: str,
    target: str,
    id_column: str | None = None,
    series_id: str | None = None,
    covariates: tuple[str, ...] | list[str] = (),
    duplicates: str = "mean",
    freq: str | None = None,
    resample: str = "mean",
    fill: str = "interpolate",
    log: bool = False,
) -> CleanSeries:
    """Make one regular, gap-handled series (plus aligned covariates) from a table.

    With no date column (``date=None``) the rows are read in file order on a step index 1, 2, 3, …
    """
    if target is None:
        raise DataError("No column holds numbers to forecast. Add a column of values or choose one.")
    for col in (date, target, id_column, *covariates):
        if col is not None and col not in frame.columns:
            raise DataError(f"There is no column '{col}' in this table. Pick one of: {_column_list(frame)}.")
    if date == target:
        raise DataError("The date column and the value column are the same column. Choose a different value column.")
    if duplicates not in DUPLICATE_RULES or resample not in DUPLICATE_RULES or fill not in FILL_RULES:
        raise DataError(f"Unknown cleaning option; duplicates/resample take {DUPLICATE_RULES}, fill takes {FILL_RULES}.")
    report: list[str] = []
    rows = frame
    if id_column is not None:
        if series_id is None:
            raise DataError(f"Column '{id_column}' holds several series; choose which one to use.")
        rows = frame[frame[id_column].astype(str) == str(series_id)]
        if rows.empty:
            raise DataError(f"No rows have '{id_column}' = '{series_id}'. Choose one of the ids in the file.")
        report.append(f"Kept the {len(rows):,} rows of series '{series_id}' (column '{id_column}').")

    decimal_comma = frame.attrs.get("decimal_comma", [])
    columns = [target, *[c for c in covariates if c not in (target, date)]]
    values = {}
    for col in columns:
        parsed = parse_numbers(rows[col], decimal_comma=col in decimal_comma)
        _check_values(parsed, col, rows.index, report, is_target=col == target)
        values[col] = parsed.values.to_numpy(dtype=float)
    if date is None:
        table = pd.DataFrame(values, index=step_index(1, len(rows)))
        report.append("No date column: the rows are read in file order as steps 1, 2, 3, …, and forecasts continue the "
                      "numbering. Choose a date column to see dates instead.")
        if len(table) < 3:
            raise DataError(f"Only {len(table)} row(s) hold values; a series needs at least 3 (and more for a forecast).")
        freq = STEPS
    else:
        table, freq = _on_dates(rows[date], date, table_values=values, requested=freq, duplicates=duplicates,
                                resample=resample, report=report)
    table = _trim_and_fill(table, target, fill, report)

    if log:
        bad = table[target] <= 0
        if bad.any():
            first = table.index[bad.to_numpy().argmax()]
            where = f"step {first}" if freq == STEPS else f"{first:%Y-%m-%d %H:%M}"
            raise DataError(
                f"A log transform needs positive values, but '{target}' has {int(bad.sum())} value(s) ≤ 0 "
                f"(first on {where}). Turn the log transform off."
            )
        table[target] = np.log(table[target])
        report.append(f"Took the natural log of '{target}'; forecasts are shown back on the original scale.")
    y = table[target].rename(target)
    if y.nunique() == 1:
        report.append(f"The series is constant (every value is {y.iloc[0]:g}); scaled errors such as MASE are undefined for it.")
    options = season_candidates(freq, len(y))
    season = _suggest_season(y, options)
    cov = table.drop(columns=[target]) if len(columns) > 1 else None
    return CleanSeries(y=y, covariates=cov, freq=freq, season=season, report=tuple(report), log=log, season_options=options)


def _on_dates(cells: pd.Series, date: str, *, table_values: dict, requested: str | None, duplicates: str, resample: str,
              report: list[str]) -> tuple[pd.DataFrame, str]:
    """The values on their parsed dates: sorted, duplicates combined, on one regular grid."""
    dates = parse_dates(cells, date)
    report.extend(dates.notes)
    table = pd.DataFrame(table_values, index=dates.dates.to_numpy())
    table = table[table.index.notna()]
    if table.empty:
        raise DataError(f"No row has a readable date in column '{date}'. Choose the column that holds the dates.")

    if not table.index.is_monotonic_increasing:
        table = table.sort_index(kind="stable")
        report.append("Rows were not in time order; they were sorted by date.")
    dup_count = int(table.index.duplicated().sum())
    if dup_count:
        table = table.groupby(level=0).agg(duplicates)
        verb = {"mean": "averaged", "sum": "summed", "first": "resolved by keeping the first", "last": "resolved by keeping the last"}[duplicates]
        report.append(f"{dup_count:,} duplicate timestamp{'s' if dup_count != 1 else ''} {verb}.")
    if len(table) < 3:
        raise DataError(f"Only {len(table)} distinct date(s) remain after cleaning; a series needs at least 3 (and more for a forecast).")

    freq, freq_note = infer_frequency(table.index, requested)
    report.append(freq_note)
    return _regularise(table, freq, resample, report), freq


def _column_list(frame: pd.DataFrame) -> str:
    cols = [f"'{c}'" for c in frame.columns[:12]]
    return ", ".join(cols) + (" …" if frame.shape[1] > 12 else "")


def _check_values(parsed, col: str, index: pd.Index, report: list[str], *, is_target: bool) -> None:
    n_text = int(parsed.text.sum())
    total = len(parsed.values)
    if parsed.values.notna().sum() == 0:
        if n_text:
            first = parsed.text.to_numpy().argmax()
            raise DataError(
                f"Column '{col}' has no numbers: its {n_text:,} filled cells are text (first at row {first + 2}: "
                f"'{_clip(parsed.raw.iloc[first])}'). Choose a column of numbers."
            )
        raise DataError(f"Column '{col}' is empty (all {total:,} cells are missing). Choose a column with values.")
    if n_text:
        first = parsed.text.to_numpy().argmax()
        examples = ", ".join(f"'{_clip(v)}'" for v in pd.unique(parsed.raw[parsed.text])[:3])
        share = n_text / total
        if is_target and share > 0.5:
            raise DataError(
                f"Column '{col}' is mostly text: {n_text:,} of {total:,} cells are not numbers "
                f"(first at row {first + 2}: '{_clip(parsed.raw.iloc[first])}'). Choose a column of numbers."
            )
        report.append(
            f"{n_text:,} non-numeric cell{'s' if n_text != 1 else ''} in '{col}' ({examples}; first at row {first + 2}) treated as missing."
        )
    n_inf = int(parsed.infinite.sum())
    if n_inf:
        first = parsed.infinite.to_numpy().argmax()
        report.append(f"{n_inf:,} infinite value{'s' if n_inf != 1 else ''} in '{col}' (first at row {first + 2}) treated as missing.")


def _clip(value, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _regularise(table: pd.DataFrame, freq: str, how: str, report: list[str]) -> pd.DataFrame:
    grid = pd.date_range(table.index[0], table.index[-1], freq=freq)
    on_grid = table.index.isin(grid)
    if on_grid.all():
        regular = table.reindex(grid)
    else:
        off = int((~on_grid).sum())
        regular = table.resample(freq).agg(how)
        report.append(
            f"{off:,} timestamps did not fall on the {freq} grid; values were resampled to {freq} by {how}."
        )
    regular.index.freq = freq
    regular.index.name = table.index.name
    return regular


def _trim_and_fill(table: pd.DataFrame, target: str, fill: str, report: list[str]) -> pd.DataFrame:
    present = table[target].notna().to_numpy()
    first, last = present.argmax(), len(present) - present[::-1].argmax()
    if first > 0 or last < len(table):
        dropped = first + len(table) - last
        table = table.iloc[first:last]
        report.append(f"{dropped:,} missing value(s) at the start or end of '{target}' were dropped.")
    for col in table.columns:
        gaps = int(table[col].isna().sum())
        if not gaps:
            continue
        where = f"'{col}'"
        if fill == "interpolate":
            how = "time" if isinstance(table.index, pd.DatetimeIndex) else "linear"
            table[col] = table[col].interpolate(method=how, limit_direction="both")
            report.append(f"{gaps:,} missing value(s) in {where} filled by linear interpolation in time.")
        elif fill == "ffill":
            table[col] = table[col].ffill().bfill()
            report.append(f"{gaps:,} missing value(s) in {where} filled with the previous value.")
        else:
            report.append(f"{gaps:,} missing value(s) in {where} left as gaps; models that need complete data will refuse this series.")
    return table


def _suggest_season(y: pd.Series, options: tuple[int, ...]) -> int:
    if not options:
        return 1
    values = y.dropna().to_numpy(dtype=float)
    if len(options) == 1 or len(values) < 8 or np.nanstd(values) == 0:
        return options[0]
    diffed = np.diff(values)
    centred = diffed - diffed.mean()
    denom = float(centred @ centred) or 1.0
    best, best_acf = options[0], -np.inf
    if options[0] == 1:  # no cycle expected (no dates): a season must show a clear autocorrelation to be chosen
        best_acf = 0.3
    for lag in options:
        if lag == 1:
            continue
        if lag >= len(centred) // 2:
            continue
        acf = float(centred[lag:] @ centred[:-lag]) / denom
        if acf > best_acf + 0.05:
            best, best_acf = lag, acf
    return best


def default_test_size(season: int, length: int) -> int:
    """One season (or 10 points) held out, never more than a fifth of the series."""
    wanted = season if season > 1 else 10
    if season > 100:  # e.g. a weekly cycle of half-hourly data: hold out a day-sized piece
        wanted = max(1, season // 7)
    return int(max(1, min(wanted, length // 5)))
