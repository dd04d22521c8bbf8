"""Look closer, in a real browser: a click on the Compare chart opens the window ending on the clicked date, the
attributions are drawn above the gate heatmaps on the same dates, a GRU shows its own gates, and Learn compares it
with the LSTM."""
import pytest

from tests.e2e.conftest import assert_no_exception, go, real_console_errors, wait_idle

pytestmark = pytest.mark.e2e

# The pixel position of one point of the first trace of the chart titled ``title``, from Plotly's own axes.
POINT_AT = """([title, k]) => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const gd = plots.find(p => (p.layout && p.layout.title && p.layout.title.text || '').includes(title));
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  const point = gd.calcdata[0][k];
  return {date: String(xa.c2d(point.x)), px: box.left + xa._offset + xa.c2p(point.x), py: box.top + ya._offset + ya.c2p(point.y)};
}"""

# The left and right edges of the plotting area of the chart titled ``title``.
PLOT_AREA = """(title) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
      p => (p.layout && p.layout.title && p.layout.title.text || '').includes(title));
  const xa = gd._fullLayout.xaxis, box = gd.getBoundingClientRect();
  return {left: box.left + xa._offset, right: box.left + xa._offset + xa._length, top: box.top,
          first: String(xa.range[0]), last: String(xa.range[1])};
}"""

# The x tick labels of the chart titled ``title`` that are drawn whole inside the chart (the readable dates).
VISIBLE_TICKS = """(title) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
      p => (p.layout && p.layout.title && p.layout.title.text || '').includes(title));
  const box = gd.getBoundingClientRect();
  return [...gd.querySelectorAll('.xtick text')].filter(t => {
    const r = t.getBoundingClientRect();
    return t.textContent && r.height > 0 && r.top >= box.top && r.bottom <= box.bottom;
  }).map(t => t.textContent);
}"""


def click_point(page, title: str, k: int, where: str) -> dict:
    """Click point k of the first trace of the chart titled ``title``; wait for Inside the LSTM to open from ``where``."""
    page.get_by_text("Click a date on the chart to look inside").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the chart's axes laid out
    point = page.evaluate(POINT_AT, [title, k])
    page.mouse.move(point["px"], point["py"])
    page.wait_for_timeout(300)
    page.mouse.click(point["px"], point["py"])
    page.get_by_text(f"Opened from the {where}").wait_for(timeout=120_000)
    wait_idle(page)
    return point


def test_click_a_date_attributions_and_a_gru(server, page):
    page.goto(server)
    page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
    go(page, "Train")
    page.get_by_text("LSTM and GRU settings").click()
    page.get_by_role("spinbutton", name="Max epochs").fill("4")
    page.get_by_role("spinbutton", name="Units per layer").fill("8")
    models = page.get_by_test_id("stMultiSelect").first.locator("input")
    models.click()
    models.fill("GRU")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_test_id("stMultiSelect").first.get_by_text("GRU", exact=True).wait_for(timeout=10_000)
    page.get_by_role("button", name="Train models").click()
    page.get_by_text("Leaderboard (test part)").wait_for(timeout=300_000)
    wait_idle(page)
    assert_no_exception(page)

    go(page, "Compare")
    point = click_point(page, "Forecasts of the held-out part", 20, "Compare page's forecast chart")
    clicked = point["date"][:10]
    assert f"window ending on {clicked}" in page.get_by_test_id("stAlert").first.inner_text()
    window_slider = page.get_by_test_id("stSlider").filter(has_text="Window ending on")
    assert window_slider.get_by_test_id("stSliderThumbValue").inner_text().strip() == clicked

    # The attributions above the heatmaps, on the same dates and the same plotting area.
    page.wait_for_function("document.querySelectorAll('.katex').length >= 6", timeout=240_000)
    wait_idle(page)
    page.wait_for_timeout(1500)
    attribution = page.evaluate(PLOT_AREA, "Which inputs mattered")
    forget = page.evaluate(PLOT_AREA, "Forget gate f")
    assert attribution["top"] < forget["top"]
    assert abs(attribution["left"] - forget["left"]) < 2 and abs(attribution["right"] - forget["right"]) < 2
    assert attribution["first"] == forget["first"] and attribution["last"] == forget["last"]
    for title in ("Input window", "Which inputs mattered", "Forget gate f", "Hidden state h"):  # each shows its dates
        assert len(page.evaluate(VISIBLE_TICKS, title)) >= 2, title
    assert "The cells sum to" in page.content()
    assert_no_exception(page)

    # The GRU's own gates.
    page.get_by_test_id("stButtonGroup").get_by_text("GRU", exact=True).click()
    wait_idle(page)
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].some(p => (p.layout.title.text || '').includes('Update gate z'))",
                           timeout=120_000)
    wait_idle(page)
    page.wait_for_function("document.querySelectorAll('.katex').length == 4", timeout=60_000)  # z, r, h~, h
    assert_no_exception(page)

    # The Data page's series chart opens its clicked date too.
    go(page, "Data")
    point = click_point(page, "passengers", 60, "Data page's series chart")
    assert f"window ending on {point['date'][:10]}" in page.get_by_test_id("stAlert").first.inner_text()
    assert_no_exception(page)

    go(page, "Learn")
    heading = page.get_by_role("heading", name="6. LSTM or GRU?")
    heading.wait_for(timeout=240_000)
    wait_idle(page)
    # The section replays both networks over the whole history before its table is drawn: on a slow machine the table
    # can arrive after the page looks idle, so wait for it (it is the page's last table; it fails if it never comes).
    heading.scroll_into_view_if_needed()
    page.wait_for_function("document.documentElement.innerHTML.includes('median half-life (steps)')", timeout=120_000)
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)
