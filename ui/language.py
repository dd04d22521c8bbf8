"""The reader's language: chosen in the sidebar, kept in the URL (?lang=ko) across pages and refreshes, and taken
from the browser (st.context.locale) on a first visit."""
import streamlit as st

from core.i18n import LANGUAGES, language, pick_language, use_language

KEY = "lang"
READER = "reader_language"  # the session's language, kept outside the widget (see choose_language)
LABEL = "Language · 언어"  # in both languages, so a reader who cannot read the current one still finds it


def _remember_click() -> None:
    st.session_state[READER] = st.session_state[KEY]


def choose_language() -> str:
    """Show the sidebar choice, set this run's language, and keep it in the URL; returns "en" or "ko".

    The session's language is kept in its own session-state entry, not only in the radio's state: Streamlit gives the
    entry script's widgets another identity once a first visit's page is resolved, and again on some page switches
    (dropping the radio's state with it), while navigation also clears the URL. The radio starts from that entry, else
    the URL, else the browser, and a click writes the entry before the script reruns (so a click that reaches a radio
    of another identity still counts)."""
    known = st.session_state.get(READER)
    start = known if known in LANGUAGES else pick_language(st.query_params.get(KEY), st.context.locale)
    options = list(LANGUAGES)
    chosen = use_language(st.sidebar.radio(LABEL, options, index=options.index(start), format_func=LANGUAGES.get, key=KEY,
                                           horizontal=True, on_change=_remember_click))
    st.session_state[READER] = chosen
    if st.query_params.get(KEY) != chosen:
        st.query_params[KEY] = chosen
    return chosen


# Streamlit keeps a choice widget's value (radio, selectbox, multiselect, select_slider, segmented control) as the text it
# shows. A widget whose options are shown translated therefore gets its own key per language, and starts from the
# choice the reader made under the other language, so a switch of language keeps every choice.
def scoped(key: str) -> str:
    """The key of a translated choice widget in the current language."""
    return f"{key}.{language()}"


def carried(key: str, default):
    """What the reader chose for ``key``: in this language's widget, else under another language (that widget's state
    survives the switching run), else ``default``."""
    for name in (scoped(key), *(f"{key}.{code}" for code in LANGUAGES)):
        if name in st.session_state:
            return st.session_state[name]
    return default


def start(key: str, options: list, default_index: int = 0) -> int:
    """The index a translated radio or selectbox starts at: the reader's choice under the other language, if still an
    option."""
    value = carried(key, None)
    return options.index(value) if value is not None and value in options else default_index


def start_many(key: str, options: list, default: list) -> list:
    """The selection a translated multiselect starts with."""
    return [v for v in carried(key, default) if v in options]


# Streamlit identifies an expander, and a set of tabs, by its label(s) and its starting state: the run that switches the
# language draws new ones, closed (or on the first tab). Each keeps its state here, in no language; a newly labelled
# one starts from the state the old one had. The starting state changes only with the language, so within one
# language the widget keeps its identity (and a state set through st.session_state[key] applies).
def _kept(key: str, default) -> dict:
    kept = st.session_state.setdefault(f"{key}.kept", {"language": language(), "state": default, "start": default})
    if kept["language"] != language():
        kept.update(language=language(), start=kept["state"])
    return kept


def lasting_expander(container, label: str, key: str, expanded: bool = False):
    """``container.expander`` (rerun on open and close) that stays open or closed when the language changes."""
    kept = _kept(key, False)
    box = container.expander(label, expanded=expanded or kept["start"], key=key, on_change="rerun")
    kept["state"] = box.open
    return box


def lasting_tabs(container, labels: list[str], key: str):
    """``container.tabs`` (rerun on a switch) that keeps the open tab when the language changes."""
    kept = _kept(key, 0)
    tabs = container.tabs(labels, default=labels[kept["start"]], key=key, on_change="rerun")
    kept["state"] = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    return tabs
