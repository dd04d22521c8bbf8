"""Table -> clean regular series: sorted, one frequency, duplicates and gaps handled, every change reported."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.data.dates import STEPS, infer_frequency, parse_dates, season_candidates, step_index
from core.data.numbers import parse_numbers
from core.errors import DataError
from core.i18n import N_, Text

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
        raise DataError(Text("No column holds numbers to forecast. Add a column of values or choose one."))
    for col in (date, target, id_column, *covariates):
        if col is not None and col not in frame.columns:
            raise DataError(Text("There is no column '{column}' in this table. Pick one of: {columns}.", column=col, columns=_column_list(frame)))
    if date == target:
        raise DataError(Text("The date column and the value column are the same column. Choose a different value column."))
    if duplicates not in DUPLICATE_RULES or resample not in DUPLICATE_RULES or fill not in FILL_RULES:
        raise DataError(Text("Unknown cleaning option; duplicates/resample take {duplicates}, fill takes {fill}.",
                             duplicates=", ".join(DUPLICATE_RULES), fill=", ".join(FILL_RULES)))
    report: list[Text] = []
    rows = frame
    if id_column is not None:
        if series_id is None:
            raise DataError(Text("Column '{column}' holds several series; choose which one to use.", column=id_column))
        rows = frame[frame[id_column].astype(str) == str(series_id)]
        if rows.empty:
            raise DataError(Text("No rows have '{column}' = '{series}'. Choose one of the ids in the file.", column=id_column, series=series_id))
        report.append(Text("Kept the {rows:,} rows of series '{series}' (column '{column}').", rows=len(rows), series=series_id, column=id_column))

    decimal_comma = frame.attrs.get("decimal_comma", [])
    columns = [target, *[c for c in covariates if c not in (target, date)]]
    values = {}
    for col in columns:
        parsed = parse_numbers(rows[col], decimal_comma=col in decimal_comma)
        _check_values(parsed, col, rows.index, report, is_target=col == target)
        values[col] = parsed.values.to_numpy(dtype=float)
    if date is None:
        table = pd.DataFrame(values, index=step_index(1, len(rows)))
        report.append(Text("No date column: the rows are read in file order as steps 1, 2, 3, …, and forecasts continue the "
                           "numbering. Choose a date column to see dates instead."))
        if len(table) < 3:
            raise DataError(Text("Only {rows} row(s) hold values; a series needs at least 3 (and more for a forecast).", rows=len(table)))
        freq = STEPS
    else:
        table, freq = _on_dates(rows[date], date, table_values=values, requested=freq, duplicates=duplicates,
                                resample=resample, report=report)
    table = _trim_and_fill(table, target, fill, report)

    if log:
        bad = table[target] <= 0
        if bad.any():
            first = table.index[bad.to_numpy().argmax()]
            where = Text("step {step}", step=first) if freq == STEPS else f"{first:%Y-%m-%d %H:%M}"
            raise DataError(Text("A log transform needs positive values, but '{column}' has {count} value(s) ≤ 0 "
                                 "(first on {where}). Turn the log transform off.", column=target, count=int(bad.sum()), where=where))
        table[target] = np.log(table[target])
        report.append(Text("Took the natural log of '{column}'; forecasts are shown back on the original scale.", column=target))
    y = table[target].rename(target)
    if y.nunique() == 1:
        report.append(Text("The series is constant (every value is {value:g}); scaled errors such as MASE are undefined for it.", value=y.iloc[0]))
    options = season_candidates(freq, len(y))
    season = _suggest_season(y, options)
    cov = table.drop(columns=[target]) if len(columns) > 1 else None
    return CleanSeries(y=y, covariates=cov, freq=freq, season=season, report=tuple(report), log=log, season_options=options)


def _on_dates(cells: pd.Series, date: str, *, table_values: dict, requested: str | None, duplicates: str, resample: str,
              report: list[Text]) -> tuple[pd.DataFrame, str]:
    """The values on their parsed dates: sorted, duplicates combined, on one regular grid."""
    dates = parse_dates(cells, date)
    report.extend(dates.notes)
    table = pd.DataFrame(table_values, index=dates.dates.to_numpy())
    table = table[table.index.notna()]
    if table.empty:
        raise DataError(Text("No row has a readable date in column '{column}'. Choose the column that holds the dates.", column=date))

    if not table.index.is_monotonic_increasing:
        table = table.sort_index(kind="stable")
        report.append(Text("Rows were not in time order; they were sorted by date."))
    dup_count = int(table.index.duplicated().sum())
    if dup_count:
        table = table.groupby(level=0).agg(duplicates)
        report.append(Text(_DUPLICATE_NOTES[duplicates][dup_count != 1], count=dup_count))
    if len(table) < 3:
        raise DataError(Text("Only {dates} distinct date(s) remain after cleaning; a series needs at least 3 (and more for a forecast).",
                             dates=len(table)))

    freq, freq_note = infer_frequency(table.index, requested)
    report.append(freq_note)
    return _regularise(table, freq, resample, report), freq


_DUPLICATE_NOTES = {  # (one timestamp, several)
    "mean": (N_("{count:,} duplicate timestamp averaged."), N_("{count:,} duplicate timestamps averaged.")),
    "sum": (N_("{count:,} duplicate timestamp summed."), N_("{count:,} duplicate timestamps summed.")),
    "first": (N_("{count:,} duplicate timestamp resolved by keeping the first."),
              N_("{count:,} duplicate timestamps resolved by keeping the first.")),
    "last": (N_("{count:,} duplicate timestamp resolved by keeping the last."),
             N_("{count:,} duplicate timestamps resolved by keeping the last.")),
}


def _column_list(frame: pd.DataFrame) -> str:
    cols = [f"'{c}'" for c in frame.columns[:12]]
    return ", ".join(cols) + (" …" if frame.shape[1] > 12 else "")


def _check_values(parsed, col: str, index: pd.Index, report: list[Text], *, is_target: bool) -> None:
    n_text = int(parsed.text.sum())
    total = len(parsed.values)
    if parsed.values.notna().sum() == 0:
        if n_text:
            first = parsed.text.to_numpy().argmax()
            raise DataError(Text("Column '{column}' has no numbers: its {cells:,} filled cells are text (first at row {row}: "
                                 "'{cell}'). Choose a column of numbers.", column=col, cells=n_text, row=first + 2,
                                 cell=_clip(parsed.raw.iloc[first])))
        raise DataError(Text("Column '{column}' is empty (all {cells:,} cells are missing). Choose a column with values.",
                             column=col, cells=total))
    if n_text:
        first = parsed.text.to_numpy().argmax()
        examples = ", ".join(f"'{_clip(v)}'" for v in pd.unique(parsed.raw[parsed.text])[:3])
        share = n_text / total
        if is_target and share > 0.5:
            raise DataError(Text("Column '{column}' is mostly text: {text:,} of {cells:,} cells are not numbers "
                                 "(first at row {row}: '{cell}'). Choose a column of numbers.", column=col, text=n_text,
                                 cells=total, row=first + 2, cell=_clip(parsed.raw.iloc[first])))
        message = (N_("{count:,} non-numeric cell in '{column}' ({examples}; first at row {row}) treated as missing.") if n_text == 1
                   else N_("{count:,} non-numeric cells in '{column}' ({examples}; first at row {row}) treated as missing."))
        report.append(Text(message, count=n_text, column=col, examples=examples, row=first + 2))
    n_inf = int(parsed.infinite.sum())
    if n_inf:
        first = parsed.infinite.to_numpy().argmax()
        message = (N_("{count:,} infinite value in '{column}' (first at row {row}) treated as missing.") if n_inf == 1
                   else N_("{count:,} infinite values in '{column}' (first at row {row}) treated as missing."))
        report.append(Text(message, count=n_inf, column=col, row=first + 2))


def _clip(value, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _regularise(table: pd.DataFrame, freq: str, how: str, report: list[Text]) -> pd.DataFrame:
    grid = pd.date_range(table.index[0], table.index[-1], freq=freq)
    on_grid = table.index.isin(grid)
    if on_grid.all():
        regular = table.reindex(grid)
    else:
        off = int((~on_grid).sum())
        regular = table.resample(freq).agg(how)
        report.append(Text("{count:,} timestamps did not fall on the {freq} grid; values were resampled to {freq} by {how}.",
                           count=off, freq=freq, how=how))
    regular.index.freq = freq
    regular.index.name = table.index.name
    return regular


def _trim_and_fill(table: pd.DataFrame, target: str, fill: str, report: list[Text]) -> pd.DataFrame:
    present = table[target].notna().to_numpy()
    first, last = present.argmax(), len(present) - present[::-1].argmax()
    if first > 0 or last < len(table):
        dropped = first + len(table) - last
        table = table.iloc[first:last]
        report.append(Text("{count:,} missing value(s) at the start or end of '{column}' were dropped.", count=dropped, column=target))
    for col in table.columns:
        gaps = int(table[col].isna().sum())
        if not gaps:
            continue
        if fill == "interpolate":
            how = "time" if isinstance(table.index, pd.DatetimeIndex) else "linear"
            table[col] = table[col].interpolate(method=how, limit_direction="both")
            report.append(Text("{count:,} missing value(s) in '{column}' filled by linear interpolation in time.", count=gaps, column=col))
        elif fill == "ffill":
            table[col] = table[col].ffill().bfill()
            report.append(Text("{count:,} missing value(s) in '{column}' filled with the previous value.", count=gaps, column=col))
        else:
            report.append(Text("{count:,} missing value(s) in '{column}' left as gaps; models that need complete data will refuse this series.",
                               count=gaps, column=col))
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
