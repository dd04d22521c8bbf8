"""The app in Korean in a real browser: chosen in the sidebar, kept in the URL through a refresh and across pages,
charts drawn with Korean titles and Korean date ticks in a Korean font, the offline HTML export too, and back to
English."""
import pytest

from tests.e2e.conftest import (assert_no_exception, go, korean_font_installed, platform_fonts, real_console_errors, train_small,
                                wait_idle)

pytestmark = pytest.mark.e2e
KOREAN_TRAIN = {"page": "학습", "settings": "LSTM·GRU 설정", "epochs": "최대 에포크", "units": "층당 유닛 수", "button": "모델 학습",
                "done": "순위표 (평가 구간)"}

# Plotly's SVG text of one chart, found by its title: the title, and the x axis' tick labels.
CHART_TEXT = """(title) => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => (p.layout.title.text || '').includes(title));
  if (!plot) return null;
  return {title: plot.querySelector('.gtitle')?.textContent || '',
          ticks: [...plot.querySelectorAll('.xtick text')].map(t => t.textContent)};
}"""


def drawn_in_korean_font(page, selector: str) -> None:
    if korean_font_installed():  # .ci/run installs one; without any, a browser can only draw boxes
        fonts = platform_fonts(page, selector)
        assert any("CJK" in name or "Nanum" in name for name, glyphs in fonts.items() if glyphs), fonts


def choose(page, language: str) -> None:
    page.get_by_role("radiogroup", name="Language · 언어").get_by_text(language).click()


def test_korean_is_kept_through_a_refresh_and_draws_korean_charts(server, page, tmp_path):
    page.goto(server)
    page.get_by_role("heading", name="Data").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_idle(page)
    choose(page, "한국어")
    page.get_by_role("heading", name="데이터").wait_for(timeout=60_000)
    wait_idle(page)
    assert "lang=ko" in page.url
    # The choices on screen follow: the sample is still chosen, now shown under its Korean name.
    assert page.get_by_role("combobox", name="샘플").input_value() == "항공 여객 수, 월별 1949–1960"
    assert page.get_by_role("radio", name="샘플").is_checked()

    page.reload()  # a refresh keeps the language (and a shared URL carries it)
    page.get_by_role("heading", name="데이터").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="LSTM 들여다보기").count() == 1
    assert page.get_by_text("정제 보고서").count() == 1

    train_small(page, words=KOREAN_TRAIN)
    assert "lang=ko" in page.url and "run=" in page.url
    assert_no_exception(page)

    go(page, "비교")
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].some(p => (p.layout.title.text || '')"
                           ".includes('떼어 둔 구간의 예측'))", timeout=240_000)
    wait_idle(page)
    chart = page.evaluate(CHART_TEXT, "떼어 둔 구간의 예측")
    assert chart["title"] == "떼어 둔 구간의 예측"
    assert any("년" in tick for tick in chart["ticks"]), chart["ticks"]  # dates written the Korean way, not "Jan 1960"
    drawn_in_korean_font(page, ".gtitle, .gtitle tspan, .xtick text")
    page.get_by_role("heading", name="순위표").wait_for()
    assert_no_exception(page)

    # The offline chart file is Korean too, and draws its Korean in a Korean font with no server behind it.
    page.get_by_role("button", name="모델·번들·차트 파일 준비").click()
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="차트 (단독 HTML, 오프라인에서 열림)").click()
    offline = tmp_path / "charts.html"
    info.value.save_as(offline)
    html = offline.read_text(encoding="utf-8")
    assert "<html lang='ko'>" in html  # (Plotly writes the figures' text as JSON escapes; the viewer below reads it drawn)
    viewer = page.context.new_page()
    viewer.goto(offline.as_uri())
    viewer.wait_for_function("document.querySelectorAll('.js-plotly-plot .gtitle').length >= 3", timeout=60_000)
    assert viewer.evaluate(CHART_TEXT, "떼어 둔 구간의 예측")["title"] == "떼어 둔 구간의 예측"
    drawn_in_korean_font(viewer, ".gtitle, .gtitle tspan, .xtick text")
    viewer.close()

    go(page, "LSTM 들여다보기")
    page.wait_for_function("document.querySelectorAll('.katex').length >= 6", timeout=240_000)
    page.get_by_text("어떤 입력이 중요했나").first.wait_for(timeout=120_000)
    assert_no_exception(page)

    choose(page, "English")  # and back: every page follows
    page.get_by_role("heading", name="Inside the LSTM").wait_for(timeout=120_000)
    wait_idle(page)
    assert "lang=en" in page.url
    page.reload()
    page.get_by_role("heading", name="Inside the LSTM").wait_for(timeout=120_000)
    assert_no_exception(page)
    assert not real_console_errors(page), real_console_errors(page)


def test_a_shared_korean_link_stays_korean_on_every_page(server, page):
    """A link with ?lang=ko opens in Korean with nothing clicked, and every page reached from it stays Korean."""
    page.goto(server + "/?lang=ko")
    page.get_by_role("heading", name="데이터").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_idle(page)
    for name, heading in (("학습", "학습"), ("배우기", "배우기: 내 모델로 보는 LSTM의 작동 원리"), ("실행 기록", "실행 기록"),
                          ("일괄 예측", "일괄 예측"), ("데이터", "데이터")):
        go(page, name)
        page.get_by_role("heading", name=heading).wait_for(timeout=240_000)
        assert "lang=ko" in page.url
    assert_no_exception(page)
