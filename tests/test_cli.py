"""The headless CLI on good data and on every awkward file: exit 0, or exit 2 with one line; never a traceback."""
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import AWKWARD, ROOT

EXPECT_FAIL = {
    "empty.csv", "whitespace_only.csv", "header_only.csv", "one_row.csv", "random_bytes.csv", "corrupt.parquet",
    "corrupt.xlsx", "prose.txt", "no_numeric_column.csv", "all_missing.csv", "out_of_range_date.csv",
    "too_short_for_horizon.csv", "ragged_rows.csv", "corrupt_model.keras", "lambda_layer.keras",
}


def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_forecast_writes_csvs_and_prints_leaderboard(tmp_path):
    done = cli("forecast", "sample_data/airline_passengers.csv", "--horizon", "12", "--models", "naive,snaive,regression", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Linear regression" in done.stdout and "Seasonal naive" in done.stdout
    metrics = pd.read_csv(tmp_path / "metrics.csv")
    forecasts = pd.read_csv(tmp_path / "forecasts.csv")
    assert list(metrics["model"]) == ["Linear regression", "Seasonal naive", "Naive"]
    assert metrics.loc[metrics["model"] == "Seasonal naive", "MASE"].iloc[0] == pytest.approx(1.571, abs=1e-3)
    assert len(forecasts) == 36 and set(forecasts["part"]) == {"test"}


def test_batch_on_long_format(tmp_path):
    done = cli("batch", str(AWKWARD / "long_format.csv"), "--horizon", "7", "--season", "7", "--models", "snaive,naive2", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert set(summary["model"]) == {"Seasonal naive", "Naive2"} and (summary["series"] == 3).all()
    assert summary.loc[summary["model"] == "Naive2", "OWA"].iloc[0] == pytest.approx(1.0)


@pytest.mark.parametrize("name", sorted(p.name for p in AWKWARD.iterdir()))
def test_awkward_files_through_the_cli(name, tmp_path):
    done = cli("forecast", str(AWKWARD / name), "--horizon", "7", "--models", "naive,regression", "--out", str(tmp_path))
    assert "Traceback" not in done.stderr
    if name in EXPECT_FAIL:
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1 and errors[0] == lines[-1], done.stderr
        assert len(errors[0]) > 30  # a sentence, not a code
    else:
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "forecasts.csv").exists()


def test_formula_like_cells_are_neutralised(tmp_path):
    done = cli("forecast", str(AWKWARD / "formula_cells.csv"), "--target", "value", "--horizon", "7", "--models", "naive", "--out", str(tmp_path))
    assert done.returncode == 0
    from core.runs.exports import safe_csv

    out = safe_csv(pd.DataFrame({"note": ["=HYPERLINK(\"x\")", "+1", "-a", "@b", "fine"], "v": [-1.5, 2, 3, 4, 5]})).decode()
    assert "'=HYPERLINK" in out and "'+1" in out and "'-a" in out and "'@b" in out and ",-1.5" in out


def test_bad_arguments_are_one_line():
    done = cli("forecast", "sample_data/airline_passengers.csv", "--horizon", "3", "--models", "nope")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "unknown model(s) nope" in done.stderr


@pytest.mark.parametrize("args,message", [
    (["--level", "nan"], "outside 0.5 to 0.99"), (["--level", "5"], "outside 0.5 to 0.99"), (["--level", "x"], "is not a number"),
])
def test_bad_levels_get_one_line(args, message):
    done = cli("forecast", "sample_data/airline_passengers.csv", "--horizon", "12", "--models", "naive", *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_negative_embedding_gets_one_line():
    done = cli("batch", "sample_data/m4_hourly_24.csv", "--horizon", "48", "--season", "24", "--embedding", "-1")
    assert done.returncode == 2 and "outside 0 to 256" in done.stderr and "Traceback" not in done.stderr


NUMBER_OPTIONS = {  # every number a user types on the command line, with values outside its range
    ("forecast", "--horizon"): ["0", "-3", "1e12", "100001", "x", "nan"],
    ("forecast", "--season"): ["0", "-1", "999999999", "two"],
    ("forecast", "--test-size"): ["0", "-12", "10000000", "inf"],
    ("forecast", "--level"): ["0.1", "1", "nan", "inf", "90%"],
    ("forecast", "--tune"): ["0", "-5", "3601", "nan", "1h"],
    ("batch", "--horizon"): ["0", "-48", "1e9"],
    ("batch", "--season"): ["0", "-24", "100001"],
    ("batch", "--level"): ["0.4", "5"],
    ("batch", "--embedding"): ["-1", "257", "5000000", "1.5"],
}


@pytest.mark.parametrize("command, option, value", [(c, o, v) for (c, o), values in NUMBER_OPTIONS.items() for v in values])
def test_every_number_argument_is_range_checked_in_one_line(command, option, value, capsys):
    from core.__main__ import main

    required = {"forecast": ["--horizon", "12"], "batch": ["--horizon", "48", "--season", "24"]}[command]
    given = [a for i, a in enumerate(required) if option not in required[i - (i % 2):i - (i % 2) + 1]]
    with pytest.raises(SystemExit) as stop:
        main([command, "sample_data/airline_passengers.csv", *given, f"{option}={value}"])
    said = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 2 and len(said) == 1 and said[0].startswith("error: argument " + option), said
