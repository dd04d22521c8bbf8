"""A new user uploads a CSV through the real file uploader and sees it charted and cleaned."""
import pytest

from tests.conftest import AWKWARD
from tests.e2e.conftest import assert_no_exception, real_console_errors, wait_idle

pytestmark = pytest.mark.e2e


def test_upload_csv_shows_chart_and_cleaning_report(server, page):
    page.goto(server)
    page.get_by_text("Data", exact=True).first.wait_for(timeout=60_000)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)  # sample charted on arrival
    page.get_by_text("Upload a file").click()
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(AWKWARD / "text_in_numbers.csv"))
    page.get_by_text("Cleaning report").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("2 non-numeric cells in 'value'").wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 1  # the uploaded series
    page.get_by_text("Explore the series").click()  # its decomposition, drawn when asked for
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)


def upload(server, page, name: str) -> None:
    """Open the app (a sample charted on arrival), switch to uploading and send one awkward file."""
    page.goto(server)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
    page.get_by_text("Upload a file").click()
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(AWKWARD / name))


def test_bad_upload_shows_a_sentence_not_a_traceback(server, page):
    upload(server, page, "ragged_rows.csv")
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.wait_for(timeout=60_000)
    assert "Line 3 of 'ragged_rows.csv' has 4 fields where the header has 2" in alert.inner_text()
    page.get_by_text("is still loaded on the other pages").wait_for(timeout=30_000)  # drawn just after the error
    assert_no_exception(page)
    assert page.get_by_text("is still loaded on the other pages").count() == 1


def test_a_column_without_dates_is_read_on_steps(server, page):
    upload(server, page, "no_dates.csv")
    page.get_by_text("No date column: the rows are read in file order as steps 1, 2, 3").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text("no dates", exact=True).count() >= 1
    assert page.locator(".js-plotly-plot").count() >= 1
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)
