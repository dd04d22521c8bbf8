"""The Batch page in a real browser: the M4 sample on the local Dask cluster, the leaderboard, a click on
one series' point opening its forecast chart, and the batch surviving a refresh."""
import pytest

from tests.e2e.conftest import assert_no_exception, real_console_errors, wait_idle

pytestmark = pytest.mark.e2e


def test_batch_on_dask_and_click_a_series(server, page):
    page.goto(server)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Batch").click()
    page.get_by_role("button", name="Run the batch").wait_for(timeout=60_000)
    page.get_by_role("button", name="Remove Global LSTM").click()  # the baselines only: quick
    wait_idle(page)
    page.get_by_role("button", name="Run the batch").click()
    page.get_by_text("Wall time").wait_for(timeout=300_000)
    wait_idle(page)
    assert page.get_by_text("a local Dask cluster").count() == 1  # where it ran, in words
    page.get_by_role("heading", name="How errors spread over the series").wait_for()
    chart = page.locator(".js-plotly-plot").first
    points = chart.locator("path.point")
    assert points.count() == 3 * 24  # seasonal naive, regression, Naive2: one point per series each
    first = page.get_by_text("Series H1: the last 48 points held out and forecast")
    first.scroll_into_view_if_needed()
    assert first.count() == 1  # the first series is open until a point is clicked
    points.nth(40).click(force=True)
    first.wait_for(state="detached", timeout=60_000)
    wait_idle(page)
    page.get_by_text("points held out and forecast").wait_for()
    assert page.locator(".js-plotly-plot").count() == 2  # the distribution and the opened series' forecasts
    # Away and back, then a refresh: the finished batch is still there, read back from disk.
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Runs").click()
    wait_idle(page)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Batch").click()
    page.get_by_text("Wall time").wait_for(timeout=60_000)
    wait_idle(page)
    assert "batch=" in page.url
    page.reload()
    page.get_by_text("Wall time").wait_for(timeout=120_000)
    page.get_by_role("heading", name="How errors spread over the series").wait_for()
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)
