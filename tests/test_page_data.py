"""The app and its Data page through Streamlit's AppTest: what a user sees, no exceptions."""
import pytest
from streamlit.testing.v1 import AppTest

from core.data.samples import SAMPLES
from tests.conftest import ROOT, shown


def open_app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    return at


def test_app_opens_on_data_page_with_a_sample_charted():
    at = open_app()
    assert at.title[0].value == "Data"
    assert len(at.get("plotly_chart")) == 3  # series, STL, ACF/PACF
    assert at.metric[0].value == "144"
    assert "dataset" in at.session_state


@pytest.mark.parametrize("key", [s.key for s in SAMPLES])
def test_each_sample_renders(key):
    at = open_app()
    at.selectbox(key="sample_key.en").set_value(key).run()
    assert not at.exception
    assert not at.error
    assert len(at.get("plotly_chart")) >= 2
    assert at.session_state["dataset"].name.endswith(".csv")


def test_cleaning_report_lists_filled_gaps():
    at = open_app()
    at.selectbox(key="sample_key.en").set_value("co2").run()
    texts = [m.value for m in at.markdown]
    assert any("59 missing value\\(s\\) in 'co2\\_ppm' filled by linear interpolation" in t for t in texts)


def test_bad_frequency_shows_an_error_and_keeps_the_series():
    at = open_app()
    before = at.session_state["dataset"]
    at.text_input[0].set_value("fortnightly-ish").run()
    assert not at.exception
    assert "'fortnightly-ish' is not a frequency this app knows" in shown(at.error[0])
    assert at.session_state["dataset"] is before
    assert any("still loaded" in i.value for i in at.info)


def test_a_new_file_starts_from_its_own_detected_columns():
    """Column choices made for one file are not carried to the next (whose columns they may not even name)."""
    at = open_app()
    date_box = next(s for s in at.selectbox if s.label == "Date column")
    date_box.select_index(0).run()  # "(none: steps 1, 2, 3 …)": the airline file read without dates
    assert next(s for s in at.selectbox if s.label == "Date column").value is None
    at.selectbox(key="sample_key.en").set_value("co2").run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "Date column").value == "week"
    assert at.metric[1].value == "every week"
