"""Bytes -> table: encodings, delimiters, number formats, Excel and Parquet.

Every problem a user can cause raises ``DataError`` whose message says what is wrong and
what to do. Row numbers in messages count the header as row 1, as a spreadsheet shows them.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd

from core.data.numbers import decimal_mark
from core.errors import DataError
from core.i18n import N_, Text

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
ACCEPTED = TEXT_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
DELIMITERS = [",", ";", "\t", "|"]
ENCODINGS = ["utf-8-sig", "cp949", "cp1252"]
MAX_COLUMNS = 2000


# --------------------------------------------------------------------------- reading
def read_table(data: bytes, filename: str, decimal: str | None = None) -> pd.DataFrame:
    """Parse an uploaded file into a DataFrame.

    ``decimal`` is the decimal mark of text files ('.' or ','); None detects it per column.

    Text files keep every cell as a string so that later steps can say exactly
    which cells were not numbers; Excel and Parquet keep their own types.
    ``frame.attrs["read_notes"]`` lists what was detected (encoding, delimiter,
    decimal comma, a file whose content does not match its name).
    """
    name = _display_name(filename)
    if not data or not data.strip():
        raise DataError(Text("The file '{name}' is empty. Choose a file with a header row and at least a few rows of data.", name=name))
    kind = _content_kind(data)
    wanted = _suffix_kind(filename)
    notes: list[str] = []
    if wanted and kind != wanted:
        if kind == "binary":
            raise DataError(Text("The file '{name}' is named like a {kind} but its content is not one "
                                 "(it may be damaged or only partly uploaded). Export it again and re-upload.",
                                 name=name, kind=Text(_KIND_WORDS[wanted])))
        notes.append(Text("'{name}' is named like a {named} but holds a {kind}; it was read as one.",
                          name=name, named=Text(_KIND_WORDS[wanted]), kind=Text(_KIND_WORDS[kind])))
    if kind == "excel":
        frame = _read_excel(data, name)
    elif kind == "parquet":
        frame = _read_parquet(data, name)
    elif kind == "text":
        frame, text_notes = _read_text(data, name, decimal)
        notes.extend(text_notes)
    else:
        raise DataError(Text("The file '{name}' is not a table this app can read (it looks like binary data). "
                             "Upload a CSV, TSV, TXT, Excel (.xlsx) or Parquet file.", name=name))
    frame = _tidy_columns(frame, name)
    frame.attrs["read_notes"] = notes
    return frame


_KIND_WORDS = {"text": N_("text table (CSV)"), "excel": N_("Excel workbook"), "parquet": N_("Parquet file"), "binary": N_("binary file")}


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
            return data.decode(encoding), {"utf-8-sig": "UTF-8", "cp949": Text("CP949 (Korean Windows)"), "cp1252": "Windows-1252"}[encoding]
        except UnicodeDecodeError:
            continue
    raise DataError(Text("The file '{name}' uses a text encoding this app cannot read. Save it as UTF-8 CSV and re-upload.", name=name))


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


def _read_text(data: bytes, name: str, decimal: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    text, encoding = _decode(data, name)
    notes = [] if encoding == "UTF-8" else [Text("Read as {encoding} text.", encoding=encoding)]
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append(Text("A UTF-8 byte-order mark at the start was ignored."))
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    delimiter = _sniff_delimiter(lines) if len(lines) > 1 else None
    if delimiter is None:
        if len(lines) <= 1:
            raise DataError(Text("The file '{name}' has only one line. A table needs a header row and at least a few data rows.", name=name))
        # One column of numbers is a fine single series; prose is not a table.
        delimiter = ","
    if delimiter != ",":
        notes.append(Text(_DELIM_NOTES[delimiter]))
    _check_width(len(next(csv.reader(lines[:1], delimiter=delimiter))), name)  # before the whole file is parsed
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
            raise DataError(Text("Line {line} of '{name}' has {saw} fields where the header has {want}. "
                                 "Check for a stray separator or an unquoted comma in that line.",
                                 line=line, name=name, saw=saw, want=want)) from None
        raise DataError(Text("'{name}' could not be read as a table: {reason}.", name=name, reason=str(error).strip())) from None
    except pd.errors.EmptyDataError:
        raise DataError(Text("The file '{name}' has no columns. Upload a table with a header row.", name=name)) from None
    if _looks_like_prose(frame):
        raise DataError(Text("The file '{name}' reads as prose, not a table: its lines are sentences rather than rows of values. "
                             "Upload a table with a header row and one row per time step.", name=name))
    if decimal in (".", ","):
        decimal_comma = list(frame.columns) if decimal == "," else []
        notes.append(Text("Decimal mark '{mark}', as chosen.", mark=decimal))
    else:
        marks = {c: decimal_mark(frame[c], c, delimiter) for c in frame.columns}
        decimal_comma = [c for c, m in marks.items() if m.comma]
        notes.extend(m.note for m in marks.values() if m.note)
        if decimal_comma:
            notes.append(Text("Decimal commas were read in: {columns}.", columns=", ".join(f"'{c}'" for c in decimal_comma[:5])))
    frame.attrs["decimal_comma"] = decimal_comma
    return frame, notes


_DELIM_NOTES = {",": N_("Columns are separated by commas."), ";": N_("Columns are separated by semicolons."),
                "\t": N_("Columns are separated by tabs."), "|": N_("Columns are separated by vertical bars.")}


def _looks_like_prose(frame: pd.DataFrame) -> bool:
    cells = [str(v) for v in frame.head(50).to_numpy().ravel() if str(v).strip()]
    cells += [str(c) for c in frame.columns if not str(c).startswith("Unnamed")]
    wordy = sum(1 for v in cells if len(v.split()) >= 4)
    return wordy >= max(1, len(cells) // 2)


def _read_excel(data: bytes, name: str) -> pd.DataFrame:
    if str(name).lower().endswith((".keras", ".h5", ".zip")):
        raise DataError(Text("'{name}' is a model or archive file, not a data table. Upload a series as CSV, Excel or Parquet here; "
                             "a .keras model goes on the Runs page, a run bundle (.zip) there too.", name=name))
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DataError(Text("The Excel file '{name}' could not be opened ({error}). "
                             "Open it in Excel and save it again as .xlsx, or export the sheet as CSV.",
                             name=name, error=type(error).__name__)) from None


def _check_width(columns: int, name: str) -> None:
    if columns > MAX_COLUMNS:
        raise DataError(Text("The file '{name}' has {columns:,} columns; this app reads at most {most:,}. Keep the columns you need.",
                             name=name, columns=columns, most=MAX_COLUMNS))


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        _check_width(len(pq.ParquetFile(io.BytesIO(data)).schema_arrow), name)  # from the footer, before any data
        return pd.read_parquet(io.BytesIO(data))
    except DataError:
        raise
    except Exception as error:  # pyarrow raises many types for damaged files
        raise DataError(Text("The Parquet file '{name}' is damaged or incomplete ({error}). "
                             "Write it again or upload the data as CSV.", name=name, error=type(error).__name__)) from None


def _tidy_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.shape[1] == 0:
        raise DataError(Text("The file '{name}' has no columns. Upload a table with a header row.", name=name))
    _check_width(frame.shape[1], name)
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
        raise DataError(Text("The file '{name}' has a header row but no data rows. Add the data below the header.", name=name))
    return frame


