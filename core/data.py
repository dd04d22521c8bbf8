"""Reading uploaded tables and turning one column into a clean, regular series.

Data flow: ``read_table(bytes, filename)`` -> ``detect_columns(frame)`` (guesses the
user may override) -> ``to_series(frame, date=..., target=...)`` -> ``CleanSeries``
with a cleaning report that names every change made.

Every problem a user can cause raises ``DataError`` (a ``ValueError``) whose message
says what is wrong and what to do. Row numbers in messages count the header as row 1,
the way a spreadsheet shows them.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.dates import infer_frequency, parse_dates, season_candidates
from core.errors import DataError
from core.numbers import parse_numbers

__all__ = ["DataError", "read_table", "detect_columns", "to_series", "CleanSeries", "ColumnGuess"]


TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
ACCEPTED = TEXT_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
DELIMITERS = [",", ";", "\t", "|"]
ENCODINGS = ["utf-8-sig", "cp949", "cp1252"]
MAX_COLUMNS = 2000


# --------------------------------------------------------------------------- reading
def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """Parse an uploaded file into a DataFrame.

    Text files keep every cell as a string so that later steps can say exactly
    which cells were not numbers; Excel and Parquet keep their own types.
    ``frame.attrs["read_notes"]`` lists what was detected (encoding, delimiter,
    decimal comma, a file whose content does not match its name).
    """
    name = _display_name(filename)
    if not data or not data.strip():
        raise DataError(f"The file '{name}' is empty. Choose a file with a header row and at least a few rows of data.")
    kind = _content_kind(data)
    wanted = _suffix_kind(filename)
    notes: list[str] = []
    if wanted and kind != wanted:
        if kind == "binary":
            raise DataError(
                f"The file '{name}' is named like a {_KIND_WORDS[wanted]} but its content is not one "
                "(it may be damaged or only partly uploaded). Export it again and re-upload."
            )
        notes.append(f"'{name}' is named like a {_KIND_WORDS[wanted]} but holds a {_KIND_WORDS[kind]}; it was read as one.")
    if kind == "excel":
        frame = _read_excel(data, name)
    elif kind == "parquet":
        frame = _read_parquet(data, name)
    elif kind == "text":
        frame, text_notes = _read_text(data, name)
        notes.extend(text_notes)
    else:
        raise DataError(
            f"The file '{name}' is not a table this app can read (it looks like binary data). "
            f"Upload a CSV, TSV, TXT, Excel (.xlsx) or Parquet file."
        )
    frame = _tidy_columns(frame, name)
    frame.attrs["read_notes"] = notes
    return frame


_KIND_WORDS = {"text": "text table (CSV)", "excel": "Excel workbook", "parquet": "Parquet file", "binary": "binary file"}


def _display_name(filename: str) -> str:
    # Only the last path part, and only for messages: never used as a path.
    base = re.split(r"[\\/]", str(filename or "upload"))[-1]
    return base[:120] or "upload"


def _suffix_kind(filename: str) -> str | None:
    lower = str(filename or "").lower()
    if lower.endswith(EXCEL_SUFFIXES):
        return "excel"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if lower.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def _content_kind(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "excel"
    if data[:4] == b"PAR1":
        return "parquet"
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff")):
        return "binary"
    for encoding in ENCODINGS:
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the sample's end.
            try:
                text = sample[:-4].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    else:
        return "binary"
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return "binary" if controls > max(2, len(text) // 100) else "text"


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), {"utf-8-sig": "UTF-8", "cp949": "CP949 (Korean Windows)", "cp1252": "Windows-1252"}[encoding]
        except UnicodeDecodeError:
            continue
    raise DataError(f"The file '{name}' uses a text encoding this app cannot read. Save it as UTF-8 CSV and re-upload.")


def _sniff_delimiter(lines: list[str]) -> str | None:
    best, best_score = None, 0.0
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) + 0.001 * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(data: bytes, name: str) -> tuple[pd.DataFrame, list[str]]:
    text, encoding = _decode(data, name)
    notes = [] if encoding == "UTF-8" else [f"Read as {encoding} text."]
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append("A UTF-8 byte-order mark at the start was ignored.")
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    delimiter = _sniff_delimiter(lines) if len(lines) > 1 else None
    if delimiter is None:
        if len(lines) <= 1:
            raise DataError(
                f"The file '{name}' has only one line. A table needs a header row and at least a few data rows."
            )
        # One column of numbers is a fine single series; prose is not a table.
        delimiter = ","
    if delimiter != ",":
        notes.append(f"Columns are separated by {_DELIM_WORDS[delimiter]}.")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            skip_blank_lines=True,
            on_bad_lines="error",
        )
    except pd.errors.ParserError as error:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if match:
            want, line, saw = match.groups()
            raise DataError(
                f"Line {line} of '{name}' has {saw} fields where the header has {want}. "
                "Check for a stray separator or an unquoted comma in that line."
            ) from None
        raise DataError(f"'{name}' could not be read as a table: {str(error).strip()}.") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"The file '{name}' has no columns. Upload a table with a header row.") from None
    if _looks_like_prose(frame):
        raise DataError(
            f"The file '{name}' reads as prose, not a table: its lines are sentences rather than rows of values. "
            "Upload a table with a header row and one row per time step."
        )
    decimal_comma = [c for c in frame.columns if _uses_decimal_comma(frame[c], delimiter)]
    if decimal_comma:
        notes.append("Decimal commas were read in: " + ", ".join(f"'{c}'" for c in decimal_comma[:5]) + ".")
    frame.attrs["decimal_comma"] = decimal_comma
    return frame, notes


_DELIM_WORDS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _looks_like_prose(frame: pd.DataFrame) -> bool:
    cells = [str(v) for v in frame.head(50).to_numpy().ravel() if str(v).strip()]
    cells += [str(c) for c in frame.columns if not str(c).startswith("Unnamed")]
    wordy = sum(1 for v in cells if len(v.split()) >= 4)
    return wordy >= max(1, len(cells) // 2)


_EU_NUMBER = re.compile(r"^\s*[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2}|\d+,\d{4,})\s*$")
_US_NUMBER = re.compile(r"^\s*[+-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d{1,2}|\d+\.\d{4,})\s*$")


def _uses_decimal_comma(column: pd.Series, delimiter: str) -> bool:
    sample = column.head(500).astype(str)
    eu = int(sample.str.match(_EU_NUMBER).sum())
    us = int(sample.str.match(_US_NUMBER).sum())
    if eu == us == 0:
        return delimiter == ";" and bool(sample.str.match(r"^\s*[+-]?\d+,\d+\s*$").any())
    return eu > us


def _read_excel(data: bytes, name: str) -> pd.DataFrame:
    if str(name).lower().endswith((".keras", ".h5", ".zip")):
        raise DataError(f"'{name}' is a model or archive file, not a data table. Upload a series as CSV, Excel or Parquet here; "
                        "a .keras model goes on the Runs page, a run bundle (.zip) there too.")
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DataError(
            f"The Excel file '{name}' could not be opened ({type(error).__name__}). "
            "Open it in Excel and save it again as .xlsx, or export the sheet as CSV."
        ) from None


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(data))
    except Exception as error:  # pyarrow raises many types for damaged files
        raise DataError(
            f"The Parquet file '{name}' is damaged or incomplete ({type(error).__name__}). "
            "Write it again or upload the data as CSV."
        ) from None


def _tidy_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.shape[1] == 0:
        raise DataError(f"The file '{name}' has no columns. Upload a table with a header row.")
    if frame.shape[1] > MAX_COLUMNS:
        raise DataError(f"The file '{name}' has {frame.shape[1]} columns; this app reads at most {MAX_COLUMNS}. Keep the columns you need.")
    names, seen = [], {}
    for i, col in enumerate(frame.columns):
        label = str(col).strip()
        if not label or label.lower().startswith("unnamed:"):
            label = f"column {i + 1}"
        if label in seen:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
        else:
            seen[label] = 1
        names.append(label)
    frame.columns = names
    if len(frame) == 0:
        raise DataError(f"The file '{name}' has a header row but no data rows. Add the data below the header.")
    return frame


# --------------------------------------------------------------------------- columns
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


# --------------------------------------------------------------------------- cleaning
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
    """Make one regular, gap-handled series (plus aligned covariates) from a table."""
    if date is None:
        raise DataError("No column holds dates this app can read. Add a date column (e.g. 2024-01-31) or choose one.")
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

    dates = parse_dates(rows[date], date)
    report.extend(dates.notes)
    decimal_comma = frame.attrs.get("decimal_comma", [])
    columns = [target, *[c for c in covariates if c not in (target, date)]]
    values = {}
    for col in columns:
        parsed = parse_numbers(rows[col], decimal_comma=col in decimal_comma)
        _check_values(parsed, col, rows.index, report, is_target=col == target)
        values[col] = parsed.values.to_numpy(dtype=float)
    table = pd.DataFrame(values, index=dates.dates.to_numpy())
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

    freq, freq_note = infer_frequency(table.index, freq)
    report.append(freq_note)
    table = _regularise(table, freq, resample, report)
    table = _trim_and_fill(table, target, fill, report)

    if log:
        bad = table[target] <= 0
        if bad.any():
            first = table.index[bad.to_numpy().argmax()]
            raise DataError(
                f"A log transform needs positive values, but '{target}' has {int(bad.sum())} value(s) ≤ 0 "
                f"(first on {first:%Y-%m-%d %H:%M}). Turn the log transform off."
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
            table[col] = table[col].interpolate(method="time", limit_direction="both")
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
    for lag in options:
        if lag >= len(centred) // 2:
            continue
        acf = float(centred[lag:] @ centred[:-lag]) / denom
        if acf > best_acf + 0.05:
            best, best_acf = lag, acf
    return best
