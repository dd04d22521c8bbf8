"""A new user's whole session in a real browser: upload, map, train all models, compare, download,
look inside the LSTM, read the Learn page in Korean (still Korean after a refresh), and find the run again."""
import csv
import io

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import (assert_no_exception, go, korean_font_installed, platform_fonts, real_console_errors, train_small,
                                wait_idle)

pytestmark = pytest.mark.e2e



def charts_at_least(page, n, timeout=240_000):
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {n}", timeout=timeout)


def test_new_user_session(server, page):
    page.goto(server)
    charts_at_least(page, 1, 60_000)
    page.get_by_text("Upload a file").click()
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(ROOT / "sample_data" / "airline_passengers.csv"))
    page.get_by_text("Cleaning report").wait_for(timeout=60_000)
    wait_idle(page)
    # the detected mapping (month -> passengers) is what gets charted
    page.get_by_text("airline_passengers.csv: passengers").wait_for(timeout=30_000)

    train_small(page, epochs="5")
    assert page.get_by_text("saved. It survives a browser refresh").count() == 1
    assert_no_exception(page)

    go(page, "Compare")
    charts_at_least(page, 2)
    page.get_by_role("heading", name="Leaderboard").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Forecasts of the test part (CSV)").click()
    text = open(info.value.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    models = {r["model"] for r in rows}
    assert models == {"Naive", "Seasonal naive", "Linear regression", "ARIMA", "LSTM"}
    assert len(rows) == 5 * 12 and all(float(r["lower"]) <= float(r["mean"]) <= float(r["upper"]) for r in rows)
    assert {r["date"][:7] for r in rows} == {f"1960-{m:02d}" for m in range(1, 13)}
    assert_no_exception(page)

    go(page, "Inside the LSTM")
    page.wait_for_function("document.querySelectorAll('.katex').length >= 6", timeout=240_000)  # the six equations
    charts_at_least(page, 7)
    assert_no_exception(page)

    go(page, "Learn")
    page.get_by_role("heading", name="1. Why LSTMs were introduced").wait_for(timeout=240_000)
    charts_at_least(page, 8)
    page.get_by_role("radiogroup", name="Language · 언어").get_by_text("한국어").click()
    page.get_by_role("heading", name="1. LSTM은 왜 등장했을까").wait_for(timeout=120_000)
    if korean_font_installed():  # .ci/run installs one; a machine without any can only draw boxes
        fonts = platform_fonts(page, "h2")
        assert any("CJK" in name or "Nanum" in name for name, glyphs in fonts.items() if glyphs), fonts  # Korean drawn, not boxes
    assert_no_exception(page)

    page.reload()  # the language is in the URL: a refresh stays Korean, with the run
    page.get_by_role("heading", name="1. LSTM은 왜 등장했을까").wait_for(timeout=240_000)
    page.get_by_role("radiogroup", name="Language · 언어").get_by_text("English").click()
    page.get_by_role("heading", name="1. Why LSTMs were introduced").wait_for(timeout=240_000)
    go(page, "Runs")
    page.get_by_role("button", name="Reopen").wait_for(timeout=60_000)
    assert "airline_passengers.csv · best" in page.content()
    go(page, "Compare")
    charts_at_least(page, 2)
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)
