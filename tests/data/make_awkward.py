"""Writes the awkward-input corpus in tests/data/awkward/ (run once; the files are committed).

Each file is something a real user uploads sooner or later. tests/test_awkward.py holds
the outcome each one must have.
"""
import io
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "awkward"
OUT.mkdir(exist_ok=True)
days = pd.date_range("2024-01-01", periods=60, freq="D")
rng = np.random.default_rng(7)
vals = np.round(100 + 10 * np.sin(np.arange(60) / 7 * 2 * np.pi) + rng.normal(0, 2, 60), 2)


def csv(name, text, encoding="utf-8"):
    (OUT / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)


def table(dates=days, values=vals, date="date", value="value"):
    return "\n".join([f"{date},{value}"] + [f"{d:%Y-%m-%d},{v}" for d, v in zip(dates, values)]) + "\n"


csv("empty.csv", b"")
csv("whitespace_only.csv", "  \n\n  \n")
csv("header_only.csv", "date,value\n")
csv("one_row.csv", "date,value\n2024-01-01,5\n")
csv("random_bytes.csv", bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)))
csv("csv_named_xlsx.xlsx", table())
csv("corrupt.parquet", b"PAR1" + bytes(range(200)) + b"PAR1")
csv("corrupt.xlsx", b"PK\x03\x04" + bytes(300))
csv("prose.txt", "Dear team,\nplease find the numbers for last quarter attached in the other email.\nThe trend looks good and we expect growth next year as well.\nBest regards, Kim\n")
csv("no_numeric_column.csv", "date,comment\n" + "".join(f"{d:%Y-%m-%d},fine day\n" for d in days[:20]))
csv("all_missing.csv", "date,value\n" + "".join(f"{d:%Y-%m-%d},\n" for d in days[:20]))
csv("text_in_numbers.csv", "date,value\n" + "".join(
    f"{d:%Y-%m-%d},{'n/a' if i == 5 else ('—' if i == 9 else v)}\n" for i, (d, v) in enumerate(zip(days, vals))))
csv("out_of_range_date.csv", table() + "9999-12-31,5\n")
csv("mixed_date_formats.csv", "date,value\n" + "".join(
    f"{(d.strftime('%Y-%m-%d') if i % 3 else d.strftime('%d %B %Y'))},{v}\n" for i, (d, v) in enumerate(zip(days, vals))))
hours = pd.date_range("2024-03-01", periods=48, freq="h", tz="UTC")
csv("mixed_time_zones.csv", "timestamp,load\n" + "".join(
    f"{(t.tz_convert('Asia/Seoul') if i % 2 else t).isoformat()},{v}\n" for i, (t, v) in enumerate(zip(hours, vals))))
csv("iso_with_offset.csv", "timestamp,load\n" + "".join(
    f"{t.tz_convert('Asia/Seoul').isoformat()},{v}\n" for t, v in zip(hours, vals)))
csv("epoch_seconds.csv", "ts,value\n" + "".join(f"{int(t.timestamp())},{v}\n" for t, v in zip(hours, vals)))
csv("infinities.csv", "date,value\n" + "".join(f"{d:%Y-%m-%d},{'inf' if i in (3, 30) else v}\n" for i, (d, v) in enumerate(zip(days, vals))))
csv("flat.csv", table(values=[5.0] * 60))
csv("zeros_and_negatives.csv", table(values=np.r_[0.0, -3.5, vals[2:] - 100]))
csv("html_column_names.csv", table(date="<b>date</b>", value="<script>alert(1)</script>value"))
csv("formula_cells.csv", "date,value,note\n" + "".join(f"{d:%Y-%m-%d},{v},=HYPERLINK(\"x\")\n" for d, v in zip(days, vals)))
csv("semicolon_decimal_comma.csv", "datum;wert\n" + "".join(f"{d:%d.%m.%Y};{str(v).replace('.', ',')}\n" for d, v in zip(days, vals)))
csv("quoted_thousands.csv", "date,sales\n" + "".join(f"{d:%Y-%m-%d},\"{v * 1000:,.1f}\"\n" for d, v in zip(days, vals)))
csv("korean_cp949.csv", "날짜,판매량\n" + "".join(f"{d:%Y-%m-%d},{v}\n" for d, v in zip(days, vals)), encoding="cp949")
csv("korean_dates_utf8_bom.csv", "\ufeff일자,값\n" + "".join(f"{d.year}년 {d.month}월 {d.day}일,{v}\n" for d, v in zip(days, vals)))
csv("duplicates.csv", table() + "".join(f"{d:%Y-%m-%d},{v + 10}\n" for d, v in zip(days[:3], vals[:3])))
csv("gaps.csv", table(dates=days.delete([10, 11, 12, 40]), values=np.delete(vals, [10, 11, 12, 40])))
csv("unsorted.csv", table(dates=days[::-1], values=vals[::-1]))
csv("tab_separated.tsv", table().replace(",", "\t"))
csv("pipe_separated.txt", table().replace(",", "|"))
csv("wide_500_columns.csv", ",".join(["date"] + [f"v{i}" for i in range(499)]) + "\n" + "".join(
    f"{d:%Y-%m-%d}," + ",".join(str(round(v + j, 2)) for j in range(499)) + "\n" for d, v in zip(days[:30], vals)))
csv("too_short_for_horizon.csv", table(dates=days[:6], values=vals[:6]))
csv("ragged_rows.csv", "date,value\n2024-01-01,1\n2024-01-02,2,3,4\n2024-01-03,3\n")
csv("long_format.csv", "unique_id,ds,y\n" + "".join(f"{sid},{d:%Y-%m-%d},{v + k}\n" for k, sid in enumerate(["A", "B", "C"]) for d, v in zip(days, vals)))
buf = io.BytesIO()
pd.DataFrame({"date": days, "value": vals}).to_parquet(buf)
(OUT / "good.parquet").write_bytes(buf.getvalue())
buf = io.BytesIO()
pd.DataFrame({"date": days, "value": vals}).to_excel(buf, index=False)
(OUT / "good.xlsx").write_bytes(buf.getvalue())
(OUT / "corrupt_model.keras").write_bytes(b"PK\x03\x04 this is not a keras archive" + bytes(100))
print(len(list(OUT.iterdir())), "files")


def lambda_model() -> None:
    """A real Keras 3 model carrying code (a Lambda layer): safe mode must refuse it. Needs keras; run once."""
    import keras

    inputs = keras.Input(shape=(24, 2))
    x = keras.layers.Lambda(lambda t: t * 2)(inputs)
    keras.Model(inputs, keras.layers.Dense(12)(keras.layers.LSTM(4)(x))).save(OUT / "lambda_layer.keras")


if __name__ == "__main__" and "--keras" in __import__("sys").argv:
    lambda_model()
