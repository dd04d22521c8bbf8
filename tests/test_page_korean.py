"""Every page in Korean, through AppTest: a walk over everything each page draws (text, widget labels, help and options,
tables, metrics, and the titles, axes, legends and hover text inside every chart) finds no English sentence left.

Two checks on each string: it is not an English message of the catalogue shown as it is, and, once the names a user
meets in either language are set aside (LSTM, MASE, CSV, …, the data's own column names and ids), no English word
remains in it."""
import json
import re

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from core.i18n import KOREAN, po_path, use_language
from tests.conftest import ROOT

# Names that read the same in Korean text: models, metrics, formats, tools, units, people and places of the samples.
KEPT = {
    "lstm", "gru", "arima", "sarima", "rnn", "mase", "smape", "mape", "rmse", "mae", "msis", "owa", "aicc", "ols", "stl", "acf",
    "pacf", "csv", "tsv", "txt", "excel", "xlsx", "parquet", "zip", "keras", "tensorflow", "pytorch", "jax", "gpu", "cpu", "cudnn",
    "cuda", "nvidia", "dask", "optuna", "numpy", "pandas", "utf", "windows", "adam", "html", "tanh", "sigmoid", "lambda",
    "fourier", "naive2", "fred", "bls", "box", "jenkins", "keeling", "whorf", "taylor", "hochreiter", "schmidhuber", "ppm",
    "english", "lens", "tcp", "min", "yyyy", "var", "max", "log", "skill", "loa", "mauna", "tbill", "python", "issuer",
    "subject", "lstm_lens_home", "lstm_lens_schedulers", "security", "readme", "unique_id", "extra", "auto", "integrated",
    "gradients", "serial", "local", "scipy", "statsmodels", "plotly", "streamlit", "dtype", "nan", "inf", "linux", "utc", "bom",
    "core", "airline",
}


def english_messages() -> set[str]:
    """English sentences of the catalogue whose Korean differs (so seeing them means a sentence was not translated)."""
    with open(po_path(KOREAN), "rb") as handle:
        catalogue = read_po(handle, locale=KOREAN)
    out = set()
    for m in catalogue:
        if m.id and not isinstance(m.id, tuple) and m.string and m.string != m.id and re.search(r"[A-Za-z]{3,}", m.id):
            if "{" not in m.id:
                out.add(m.id)
    return out


ENGLISH = english_messages()


def figure_texts(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    found = [str(layout.get("title", {}).get("text", "") or "")]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            found.append(str((axis.get("title") or {}).get("text", "") or ""))
            found += [str(t) for t in axis.get("ticktext", []) or []]
            found += [str(b.get("label", "")) for b in (axis.get("rangeselector") or {}).get("buttons", [])]
    found += [str(a.get("text", "")) for a in layout.get("annotations", []) or []]
    for trace in spec.get("data", []):
        found += [str(trace.get("name", "") or ""), str(trace.get("hovertemplate", "") or "")]
        for axis in ("x", "y"):
            values = trace.get(axis)
            if trace.get("type") in ("heatmap", "bar", "box") and isinstance(values, list) and values and isinstance(values[0], str):
                found += values
    return found


# Elements whose ``value`` is data or a widget's Python value, not text drawn on the page (their options are).
VALUE_IS_NOT_TEXT = {"Dataframe", "UnknownElement", "Radio", "Selectbox", "Multiselect", "NumberInput", "Slider", "SelectSlider",
                     "Checkbox", "Toggle", "TextInput"}


def texts(node) -> list[str]:
    """Every string a page shows, from AppTest's element tree."""
    found = []
    proto = getattr(node, "proto", None)
    kind = type(node).__name__
    if kind == "UnknownElement" and proto is not None and hasattr(proto, "spec") and proto.spec:
        found += figure_texts(json.loads(proto.spec))
    for attr in ("value", "label", "help", "placeholder"):
        if attr == "value" and kind in VALUE_IS_NOT_TEXT:
            continue
        value = getattr(node, attr, None)
        if isinstance(value, str):
            found.append(value)
    if hasattr(node, "options") and kind != "Dataframe":
        found += [str(o) for o in node.options]
    if kind == "Dataframe":
        frame = node.value
        found += [str(c) for c in frame.columns]
        found += [v for column in frame.columns for v in frame[column].tolist() if isinstance(v, str)]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            found += texts(child)
    return found


def leftover_english(text: str, data_words: set[str]) -> list[str]:
    """English words left in ``text`` once formulas, code, file and folder names, numbers with units, the names in
    KEPT and the data's own words are set aside."""
    text = re.sub(r"\$[^$]*\$|`[^`]*`|https?://\S+|%\{[^}]*\}|<[^>]+>|\\[a-z]+", " ", text)
    text = re.sub(r"(?:^|(?<=\s))/[^\s(]+", " ", text)  # folders such as the data directory
    words = []
    for token in re.split(r"[\s,;:()\[\]{}·|/=+×*'\"“”‘’!?…—–-]+", text):
        if not token or re.search(r"[0-9_.@]", token):
            continue  # ids, file names, versions, numbers with units
        for word in re.findall(r"[A-Za-z]{3,}", token):
            if word.lower() not in KEPT and word.lower() not in data_words:
                words.append(word)
    return words


def check_korean(at: AppTest, data_words=(), where: str = "") -> None:
    assert not at.exception, [e.value for e in at.exception]
    data = {w.lower() for w in data_words}
    shown = [t for t in texts(at._tree) if t.strip()]
    assert shown, "nothing drawn"
    sidebar_choice = "Language · 언어"
    untranslated = sorted({t for t in shown if t in ENGLISH})
    assert untranslated == [], f"{where}: catalogue sentences shown in English: {untranslated[:8]}"
    leftovers = {t[:120]: words for t in shown if t != sidebar_choice and (words := leftover_english(t, data))}
    assert leftovers == {}, f"{where}: English left in the Korean page: {list(leftovers.items())[:8]}"


AIRLINE = {"month", "passengers"}
PANEL = {"unique_id", "ds", "y"}


@pytest.fixture(autouse=True)
def reader_language():
    """AppTest formats widget options in the test's own thread (a browser session never does): that thread reads
    in the language the page is drawn in, or AppTest could not match a chosen option to the Korean ones."""
    use_language(KOREAN)
    yield
    use_language("en")


def korean_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["lang"] = "ko"
    at.run()
    return at


def switch_language(at: AppTest, code: str) -> None:
    at.radio(key="lang").set_value(code).run()  # the options on screen are still in the old language
    use_language(code)


def test_every_page_in_korean_shows_no_english_sentence():
    at = korean_app()
    assert at.title[0].value == "데이터"
    check_korean(at, AIRLINE, "Data")

    # An error a user causes is in Korean too, and the series stays loaded.
    at.session_state["cleaning_open"] = True  # the options are drawn while open
    at.run()
    at.text_input(key="frequency").set_value("xyz").run()
    assert "빈도가 아닙니다" in at.error[0].value
    check_korean(at, AIRLINE | {"xyz"}, "Data with an error")
    at.text_input(key="frequency").set_value("").run()

    at.switch_page("pages/train.py").run()
    check_korean(at, AIRLINE, "Train before training")
    at.multiselect(key="train_models.ko").set_value(["naive", "snaive", "regression", "arima", "lstm", "gru"])
    at.number_input(key="train_epochs").set_value(3)
    at.number_input(key="train_units").set_value(6)
    at.toggle(key="tune_lstm").set_value(True)  # Optuna's own charts and sentences too
    at.slider(key="tune_seconds").set_value(10)
    at.button[0].click().run()
    assert at.subheader[0].value == "순위표 (평가 구간)" and "저장" in at.success[0].value  # the page again after the training
    assert any(s.value == "튜닝 (Optuna)" for s in at.subheader)
    check_korean(at, AIRLINE, "Train after training")

    at.switch_page("pages/compare.py").run()
    at.button(key="forecast_future").click().run()
    at.button(key="run_backtest").click().run()
    at.button(key="prepare_files").click().run()
    check_korean(at, AIRLINE, "Compare")

    at.switch_page("pages/gates.py").run()
    assert at.title[0].value == "LSTM 들여다보기"
    check_korean(at, AIRLINE, "Inside the LSTM")
    at.segmented_control(key="gate_network.ko").set_value("gru").run()
    check_korean(at, AIRLINE, "Inside the GRU")

    at.switch_page("pages/learn.py").run()
    assert at.title[0].value.startswith("배우기")
    check_korean(at, AIRLINE, "Learn")

    at.switch_page("pages/runs.py").run()
    check_korean(at, AIRLINE, "Runs")


def test_the_batch_page_in_korean_shows_no_english_sentence():
    at = korean_app()
    at.switch_page("pages/batch.py").run()
    check_korean(at, PANEL, "Batch before running")
    at.radio(key="batch_where.ko").set_value("serial")
    at.multiselect(key="batch_models.ko").set_value(["snaive", "regression"])
    at.button(key="run_batch").click().run()
    ids = {str(s) for s in at.selectbox(key="batch_series").options}
    assert len(ids) == 24
    check_korean(at, PANEL | {i.lower() for i in ids}, "Batch results")


def test_switching_language_keeps_the_choices_made():
    at = korean_app()
    at.selectbox(key="sample_key.ko").set_value("co2").run()
    switch_language(at, "en")  # the choice widgets get this language's keys and start from the reader's choices
    assert at.title[0].value == "Data" and at.selectbox(key="sample_key.en").value == "co2"
    assert at.query_params["lang"] in (["en"], "en")  # kept in the URL, as ?run= is
    switch_language(at, "ko")
    assert at.title[0].value == "데이터" and at.selectbox(key="sample_key.ko").value == "co2"


def test_switching_language_keeps_open_panels_open_and_the_chosen_tab():
    """Streamlit knows an expander and a set of tabs by their labels: without the app's help the switching run closed
    the Cleaning options and the explorations, and went back to the first tab."""
    at = korean_app()
    at.session_state["cleaning_open"] = True
    at.session_state["explore_open"] = True
    at.run()
    at.session_state["explore_tab"] = "자기상관"
    at.run()
    for code, tab in (("en", "Autocorrelation"), ("ko", "자기상관"), ("en", "Autocorrelation")):
        switch_language(at, code)
        assert not at.exception
        assert at.checkbox(key="log_transform")  # the Cleaning options are still open: their widgets are drawn
        assert len(at.tabs) == 3 and at.session_state["explore_tab"] == tab  # the explorations too, on the same tab
        assert '"type":"bar"' in at.get("plotly_chart")[1].proto.spec  # the ACF and PACF bars, not the decomposition
    at.session_state["explore_open"] = False  # closed, it stays closed across a switch
    at.run()
    switch_language(at, "ko")
    assert not at.tabs and at.checkbox(key="log_transform")


@pytest.mark.parametrize("sentence, words", [
    ("Leaderboard (test part)", ["Leaderboard", "test", "part"]),
    ("순위표 (평가 구간) · MASE 0.825 · airline_passengers.csv", []),
    ("$f_t$ 삭제 게이트 · LSTM_LENS_HOME · H414", []),
])
def test_the_english_finder_sees_english_and_nothing_else(sentence, words):
    assert leftover_english(sentence, set()) == words
