"""read_table / detect_columns / to_series on good and bad inputs, one assertion per behaviour."""

import numpy as np
import pandas as pd
import pytest

from core.data import detect_columns, read_table, to_series
from core.errors import DataError
from core.data.samples import SAMPLES
from core.training import sample_dataset
from tests.conftest import AWKWARD


def load(name):
    frame = read_table((AWKWARD / name).read_bytes(), name)
    guess = detect_columns(frame)
    return frame, guess


def clean(name, **kw):
    frame, guess = load(name)
    opts = dict(date=guess.date, target=guess.target)
    opts.update(kw)
    return to_series(frame, **opts)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.key)
def test_every_sample_loads_regular(sample):
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    result = to_series(frame, date=guess.date, target=guess.target)
    assert result.y.index.freq is not None
    assert result.y.notna().all()
    assert len(result.y) >= 100


def test_airline_known_values():
    result = clean_sample("airline")
    assert result.freq == "MS" and result.season == 12
    assert result.y.iloc[0] == 112 and result.y.iloc[-1] == 432 and len(result.y) == 144


def clean_sample(key):
    sample = next(s for s in SAMPLES if s.key == key)
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    return to_series(frame, date=guess.date, target=guess.target)


def test_co2_gaps_are_filled_and_reported():
    result = clean_sample("co2")
    assert "59 missing value(s) in 'co2_ppm' filled by linear interpolation in time." in result.report
    assert result.freq.startswith("W-")


def test_electricity_has_two_seasons():
    result = clean_sample("electricity")
    assert result.freq == "30min"
    assert result.season_options == (48, 336)


def test_macro_detects_covariates():
    sample = next(s for s in SAMPLES if s.key == "macro")
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    assert guess.target == "real_consumption"
    assert set(guess.numeric) >= {"unemployment_rate", "inflation", "tbill_rate"}
    result = to_series(frame, date=guess.date, target=guess.target, covariates=["inflation", "unemployment_rate"])
    assert list(result.covariates.columns) == ["inflation", "unemployment_rate"]
    assert result.covariates.index.equals(result.y.index)


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "The file 'empty.csv' is empty."),
    ("whitespace_only.csv", "is empty"),
    ("header_only.csv", "has only one line"),
    ("random_bytes.csv", "is named like a text table (CSV) but its content is not one"),
    ("corrupt.parquet", "The Parquet file 'corrupt.parquet' is damaged or incomplete"),
    ("corrupt.xlsx", "The Excel file 'corrupt.xlsx' could not be opened"),
    ("prose.txt", "reads as prose, not a table"),
    ("ragged_rows.csv", "Line 3 of 'ragged_rows.csv' has 4 fields where the header has 2"),
])
def test_unreadable_files_say_why(name, message):
    with pytest.raises(DataError) as info:
        read_table((AWKWARD / name).read_bytes(), name)
    assert message in str(info.value)


@pytest.mark.parametrize("name, message", [
    ("one_row.csv", "Only 1 distinct date(s) remain after cleaning; a series needs at least 3"),
    ("no_numeric_column.csv", "Column 'comment' has no numbers: its 20 filled cells are text (first at row 2: 'fine day')"),
    ("all_missing.csv", "Column 'value' is empty (all 20 cells are missing)"),
    ("out_of_range_date.csv", "Column 'date' row 62 has the date '9999-12-31', outside the range this app handles"),
])
def test_unusable_series_say_why(name, message):
    frame, guess = load(name)
    target = guess.target or "value"
    with pytest.raises(DataError) as info:
        to_series(frame, date=guess.date or "date", target=target)
    assert message in str(info.value)


def test_text_in_numbers_is_reported_with_row_and_values():
    result = clean("text_in_numbers.csv")
    assert "2 non-numeric cells in 'value' ('n/a', '—'; first at row 7) treated as missing." in result.report
    assert result.y.notna().all()


def test_infinities_become_gaps():
    result = clean("infinities.csv")
    assert "2 infinite values in 'value' (first at row 5) treated as missing." in result.report
    assert np.isfinite(result.y).all()


def test_duplicates_are_averaged_or_summed():
    frame, guess = load("duplicates.csv")
    mean = to_series(frame, date="date", target="value", duplicates="mean")
    total = to_series(frame, date="date", target="value", duplicates="sum")
    assert "3 duplicate timestamps averaged." in mean.report
    raw = frame[frame["date"] == "2024-01-01"]["value"].astype(float)
    assert mean.y.iloc[0] == pytest.approx(raw.mean())
    assert total.y.iloc[0] == pytest.approx(raw.sum())


def test_gaps_filled_three_ways():
    frame, _ = load("gaps.csv")
    interp = to_series(frame, date="date", target="value", fill="interpolate")
    ffill = to_series(frame, date="date", target="value", fill="ffill")
    leave = to_series(frame, date="date", target="value", fill="leave")
    assert len(interp.y) == 60 and interp.y.notna().all()
    assert ffill.y.iloc[10] == ffill.y.iloc[9]
    assert leave.y.isna().sum() == 4
    day9, day13 = interp.y.iloc[9], interp.y.iloc[13]
    assert interp.y.iloc[11] == pytest.approx(day9 + (day13 - day9) * 2 / 4)


def test_unsorted_rows_are_sorted():
    result = clean("unsorted.csv")
    assert "Rows were not in time order; they were sorted by date." in result.report
    assert result.y.index.is_monotonic_increasing


def test_decimal_comma_and_day_first_dates():
    frame, guess = load("semicolon_decimal_comma.csv")
    assert "Columns are separated by semicolons." in frame.attrs["read_notes"]
    result = to_series(frame, date=guess.date, target=guess.target)
    reference = clean("gaps.csv", fill="interpolate")  # same generator values
    assert len(result.y) == 60 and result.y.index[0] == pd.Timestamp("2024-01-01")
    assert result.y.iloc[0] == pytest.approx(reference.y.iloc[0])


def test_quoted_thousands_separators():
    result = clean("quoted_thousands.csv")
    assert result.y.iloc[0] > 50_000


def test_korean_cp949_and_korean_dates():
    frame, guess = load("korean_cp949.csv")
    assert "Read as CP949 (Korean Windows) text." in frame.attrs["read_notes"]
    assert (guess.date, guess.target) == ("날짜", "판매량")
    frame2, guess2 = load("korean_dates_utf8_bom.csv")
    assert guess2.date == "일자"
    result = to_series(frame2, date=guess2.date, target=guess2.target)
    assert result.y.index[0] == pd.Timestamp("2024-01-01") and len(result.y) == 60


def test_time_zones():
    one = clean("iso_with_offset.csv")
    assert any("UTC offset +09:00" in line for line in one.report)
    assert one.y.index[0] == pd.Timestamp("2024-03-01 09:00")
    mixed = clean("mixed_time_zones.csv")
    assert "Timestamps carried several UTC offsets; all were converted to UTC." in mixed.report
    assert mixed.y.index[0] == pd.Timestamp("2024-03-01 00:00") and len(mixed.y) == 48


def test_mixed_formats_and_epoch():
    mixed = clean("mixed_date_formats.csv")
    assert len(mixed.y) == 60 and any("several formats" in line for line in mixed.report)
    epoch = clean("epoch_seconds.csv")
    assert epoch.freq == "h" and any("Unix time in seconds" in line for line in epoch.report)


def test_wrong_extension_is_read_by_content():
    frame = read_table((AWKWARD / "csv_named_xlsx.xlsx").read_bytes(), "csv_named_xlsx.xlsx")
    assert any("named like a Excel workbook" in n or "named like a" in n for n in frame.attrs["read_notes"])
    assert len(frame) == 60


def test_excel_and_parquet():
    for name in ("good.xlsx", "good.parquet"):
        result = clean(name)
        assert len(result.y) == 60 and result.freq == "D"


def test_flat_zero_negative_load_with_notes():
    flat = clean("flat.csv")
    assert any("constant" in line for line in flat.report)
    negatives = clean("zeros_and_negatives.csv")
    assert (negatives.y <= 0).any()
    with pytest.raises(DataError, match="log transform needs positive values"):
        clean("zeros_and_negatives.csv", log=True)


def test_log_transform():
    result = clean_sample("airline")
    frame = read_table(next(s for s in SAMPLES if s.key == "airline").read_bytes(), "a.csv")
    logged = to_series(frame, date="month", target="passengers", log=True)
    assert logged.y.iloc[0] == pytest.approx(np.log(result.y.iloc[0]))


def test_html_column_names_stay_text():
    frame, guess = load("html_column_names.csv")
    assert guess.target == "<script>alert(1)</script>value"
    assert to_series(frame, date=guess.date, target=guess.target).name == "<script>alert(1)</script>value"


def test_long_format_picks_one_series():
    frame, guess = load("long_format.csv")
    assert guess.id == "unique_id" and guess.ids == ("A", "B", "C")
    b = to_series(frame, date=guess.date, target=guess.target, id_column="unique_id", series_id="B")
    a = to_series(frame, date=guess.date, target=guess.target, id_column="unique_id", series_id="A")
    assert np.allclose(b.y.to_numpy() - a.y.to_numpy(), 1.0)
    with pytest.raises(DataError, match="choose which one"):
        to_series(frame, date=guess.date, target=guess.target, id_column="unique_id")


def test_wide_file_and_missing_column():
    frame, guess = load("wide_500_columns.csv")
    assert frame.shape[1] == 500
    with pytest.raises(DataError, match="There is no column 'nope'"):
        to_series(frame, date="date", target="nope")


def test_off_grid_timestamps_are_resampled():
    times = pd.date_range("2024-01-01", periods=200, freq="h") + pd.to_timedelta(np.r_[0, 7, np.zeros(198)], unit="min")
    text = "t,v\n" + "".join(f"{t:%Y-%m-%d %H:%M},{i}\n" for i, t in enumerate(times))
    frame = read_table(text.encode(), "x.csv")
    result = to_series(frame, date="t", target="v", resample="mean")
    assert result.freq == "h" and len(result.y) == 200
    assert any("did not fall on the h grid" in line for line in result.report)


def test_million_rows_load(tmp_path):
    n = 1_000_000
    times = pd.date_range("2000-01-01", periods=n, freq="min")
    frame = pd.DataFrame({"t": times.strftime("%Y-%m-%d %H:%M"), "v": np.arange(n) % 97})
    data = frame.to_csv(index=False).encode()
    table = read_table(data, "big.csv")
    result = to_series(table, date="t", target="v")
    assert len(result.y) == n and result.freq == "min"


def test_a_very_wide_file_is_refused_from_its_header(tmp_path):
    header = ",".join(f"c{i}" for i in range(10_001))
    row = ",".join("1" for _ in range(10_001))
    data = (header + "\n" + (row + "\n") * 2000).encode()  # 40 MB of cells, refused from the header line
    with pytest.raises(DataError, match="has 10,001 columns; this app reads at most 2,000"):
        read_table(data, "wide.csv")
    frame = pd.DataFrame({f"c{i}": [1.0] for i in range(2_001)})
    frame.to_parquet(tmp_path / "wide.parquet")
    with pytest.raises(DataError, match="has 2,001 columns"):
        read_table((tmp_path / "wide.parquet").read_bytes(), "wide.parquet")


SPAN_DAYS = {"day": 1.0, "month": 30.4, "year": 365.25, "hour": 1 / 24}


@pytest.mark.parametrize("freq", ["min", "h", "30min", "D", "W-SUN", "MS", "QS", "YS"])
@pytest.mark.parametrize("length", [2, 12, 60, 203, 1000, 9000])
def test_series_chart_zoom_buttons_fit_the_dates(freq, length):
    """Each quick-zoom button shows at least 8 points and at most 60% of the series (no "1m" on quarterly data), "all" last."""
    from core.charts.data import series_chart

    index = pd.date_range("1990-01-01", periods=length, freq=freq)
    buttons = series_chart(pd.Series(np.arange(length, dtype=float), index=index, name="y")).layout.xaxis.rangeselector.buttons
    assert buttons[-1].step == "all" and 1 <= len(buttons) <= 5
    step_days = (index[1] - index[0]) / pd.Timedelta(days=1)
    whole_days = (index[-1] - index[0]) / pd.Timedelta(days=1)
    for button in buttons[:-1]:
        days = button.count * SPAN_DAYS[button.step]
        assert 8 * step_days <= days <= 0.6 * whole_days, (button.label, freq, length)


def test_series_chart_zoom_buttons_on_the_samples():
    from core.charts.data import series_chart

    shown = {}
    for key in ("airline", "macro", "electricity"):
        y = sample_dataset(key).clean.y
        shown[key] = [b.label for b in series_chart(y).layout.xaxis.rangeselector.buttons]
    assert shown == {"airline": ["1y", "5y", "all"], "macro": ["5y", "10y", "all"], "electricity": ["1d", "1w", "1m", "all"]}
    steps = series_chart(pd.Series([1.0, 2.0, 3.0], name="y")).layout.xaxis.rangeselector.buttons
    assert not steps  # a series numbered in steps has no dates to zoom by
