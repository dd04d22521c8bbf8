"""Numbers in text files are read as written, or the user is told how an ambiguous one was read.

The property test writes many generated files (decimal point or comma, with or without thousands
marks, 0 to 4 decimals, negative values, every delimiter) and reads them back: each value comes back
exactly, unless the whole column could be read two ways, and then a note names the column.
"""
import numpy as np
import pandas as pd
import pytest

from core.__main__ import main
from core.data import read_table, to_series


def read_values(text: str, name: str = "series.csv", decimal=None) -> tuple[list[float], list[str]]:
    frame = read_table(text.encode("utf-8"), name, decimal)
    return to_series(frame, date="date", target="value").y.tolist(), frame.attrs["read_notes"]


DATES = pd.date_range("2020-01-01", periods=6, freq="MS").strftime("%Y-%m-%d")


def table(cells: list[str], delimiter: str = ",") -> str:
    quote = (lambda c: f'"{c}"') if delimiter == "," else (lambda c: c)
    return f"date{delimiter}value\n" + "".join(f"{d}{delimiter}{quote(c)}\n" for d, c in zip(DATES, cells))


@pytest.mark.parametrize("delimiter", [",", "\t", "|", ";"])
def test_three_decimals_are_decimals(delimiter):
    values, _ = read_values(table(["104.237", "98.112", "-101.004", "99.870", "100.001", "97.555"], delimiter))
    assert values == pytest.approx([104.237, 98.112, -101.004, 99.87, 100.001, 97.555])


def test_a_decimal_comma_in_a_semicolon_file_is_a_decimal_comma():
    values, notes = read_values(table(["85,581", "86,002", "84,990", "85,100", "-1,250", "87,004"], ";"))
    assert values == pytest.approx([85.581, 86.002, 84.99, 85.1, -1.25, 87.004])
    assert any("'value'" in note and "decimal mark" in note for note in notes)


def test_one_unambiguous_cell_settles_the_column():
    values, notes = read_values(table(["1.234", "2.345", "3.456", "4.567", "5.678", "1.234,5"], ";"))
    assert values == pytest.approx([1234, 2345, 3456, 4567, 5678, 1234.5])
    values, _ = read_values(table(["1,234", "2,345", "3,456", "4,567", "5,678", "1,234.5"], ","))
    assert values == pytest.approx([1234, 2345, 3456, 4567, 5678, 1234.5])


def test_the_user_can_choose_the_mark():
    values, notes = read_values(table(["104.237", "98.112", "101.004", "99.870", "100.001", "97.555"], ";"), decimal=",")
    assert values == pytest.approx([104237, 98112, 101004, 99870, 100001, 97555])
    assert "Decimal mark ',', as chosen." in notes


def test_the_cli_prints_how_an_ambiguous_column_was_read(tmp_path, capsys):
    path = tmp_path / "semicolons.csv"
    rows = "".join(f"{d};{85 + i},{581 + i}\n" for i, d in enumerate(pd.date_range("2020-01-01", periods=40, freq="D").strftime("%Y-%m-%d")))
    path.write_text("date;value\n" + rows, encoding="utf-8")
    assert main(["forecast", str(path), "--horizon", "3", "--models", "naive", "--out", str(tmp_path / "out")]) == 0
    assert "decimal mark" in capsys.readouterr().err
    forecasts = pd.read_csv(tmp_path / "out" / "forecasts.csv")
    assert forecasts["actual"].dropna().iloc[-1] == pytest.approx(124.62)


def formatted(value: float, decimals: int, decimal_mark: str, thousands: bool) -> str:
    text = f"{abs(value):,.{decimals}f}" if thousands else f"{abs(value):.{decimals}f}"
    if decimal_mark == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if value < 0 else "") + text


CASES = [(seed, mark, delimiter) for seed in range(40) for mark in (".", ",") for delimiter in (",", ";", "\t", "|")]


@pytest.mark.parametrize("seed,mark,delimiter", CASES)
def test_generated_files_are_read_exactly_or_the_ambiguity_is_said(seed, mark, delimiter):
    rng = np.random.default_rng(seed)
    n = 6
    decimals = int(rng.integers(0, 5))
    thousands = bool(rng.integers(0, 2))
    magnitude = 10.0 ** rng.uniform(-1, 6.5, n)
    values = np.round(magnitude * rng.choice([-1, 1], n, p=[0.2, 0.8]), decimals)
    cells = [formatted(v, decimals, mark, thousands) for v in values]
    read, notes = read_values(table(cells, delimiter))
    exact = np.allclose(read, values, rtol=0, atol=10.0 ** -(decimals + 1))
    assert exact or any("'value'" in note for note in notes), (cells, read)
