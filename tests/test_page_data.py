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
    # only the series is charted when the page opens: the explorations and the preview are drawn when opened
    assert len(at.get("plotly_chart")) == 1
    assert not at.dataframe
    assert any(e.label.startswith("Explore the series") for e in at.expander)
    assert at.metric[0].value == "144"
    assert "dataset" in at.session_state
    # one number column: the page says there is nothing to pick as covariates instead of an empty picker
    assert not at.multiselect and any(c.value.startswith("Covariates: none") for c in at.caption)


def test_a_file_with_other_number_columns_offers_them_as_covariates():
    at = open_app()
    at.selectbox(key="sample_key.en").set_value("macro").run()
    assert not at.exception
    picker = at.multiselect[0]
    assert picker.label == "Covariates (extra inputs for the LSTM)"
    assert set(picker.options) == {"real_disposable_income", "unemployment_rate", "inflation", "tbill_rate"}
    assert not any(c.value.startswith("Covariates: none") for c in at.caption)


def test_opened_explorations_show_each_tab_and_the_preview_its_rows():
    at = open_app()
    at.session_state["explore_open"] = True
    at.run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Decomposition", "Autocorrelation", "Summary"]
    assert len(at.get("plotly_chart")) == 2  # series, STL
    assert at.radio(key="chart_season").value == 12
    at.session_state["explore_tab"] = "Autocorrelation"
    at.run()
    assert len(at.get("plotly_chart")) == 2 and not at.dataframe  # series, ACF/PACF
    at.session_state["explore_tab"] = "Summary"
    at.run()
    summary = at.dataframe[0].value
    assert "mean" in set(summary.iloc[:, 0]) and len(at.get("plotly_chart")) == 1
    at.session_state["preview_open"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 2 and len(at.dataframe[0].value) == 144  # the file's rows (up to 200), then the summary


@pytest.mark.parametrize("key", [s.key for s in SAMPLES])
def test_each_sample_renders(key):
    at = open_app()
    at.selectbox(key="sample_key.en").set_value(key).run()
    assert not at.exception
    assert not at.error
    assert len(at.get("plotly_chart")) == 1
    at.session_state["explore_open"] = True
    at.run()
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 2  # every sample is long enough for its decomposition
    assert at.session_state["dataset"].name.endswith(".csv")


def test_cleaning_report_lists_filled_gaps():
    at = open_app()
    at.selectbox(key="sample_key.en").set_value("co2").run()
    texts = [m.value for m in at.markdown]
    assert any("59 missing value\\(s\\) in 'co2\\_ppm' filled by linear interpolation" in t for t in texts)


def open_cleaning_options(at, is_open=True):
    at.session_state["cleaning_open"] = is_open
    at.run()
    assert not at.exception


def test_cleaning_choices_hold_while_the_options_are_closed():
    """The options' widgets are drawn only while the reader has them open (the first chart waits for no code of
    theirs); what was chosen there still applies after they are closed, and shows when they are opened again."""
    at = open_app()
    assert not at.text_input and not at.checkbox  # closed: none of their widgets drawn
    open_cleaning_options(at)
    at.checkbox(key="log_transform").check().run()
    at.selectbox(key="fill_rule.en").set_value("ffill").run()
    at.text_input(key="frequency").set_value("MS").run()
    chosen = {"log": True, "fill": "ffill", "freq": "MS"}
    assert {k: at.session_state["dataset"].settings[k] for k in chosen} == chosen
    open_cleaning_options(at, False)
    assert not at.text_input and not at.checkbox
    assert {k: at.session_state["dataset"].settings[k] for k in chosen} == chosen
    assert any("log" in m.value.lower() for m in at.markdown)  # the cleaning report still names the transform
    chart = at.get("plotly_chart")[0].proto.spec
    assert "log(passengers)" in chart  # the chart names the values it shows
    at.selectbox(key="sample_key.en").set_value("co2").run()  # another sample: the same options apply to it
    assert at.session_state["dataset"].settings["log"] is True
    open_cleaning_options(at)
    assert at.checkbox(key="log_transform").value is True
    assert at.selectbox(key="fill_rule.en").value == "ffill"


def test_bad_frequency_shows_an_error_and_keeps_the_series():
    at = open_app()
    before = at.session_state["dataset"]
    open_cleaning_options(at)
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
