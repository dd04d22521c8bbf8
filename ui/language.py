"""The reader's language: chosen in the sidebar, kept in the URL (?lang=ko) across pages and refreshes, and taken
from the browser (st.context.locale) on a first visit."""
import streamlit as st

from core.i18n import LANGUAGES, pick_language, use_language

KEY = "lang"
LABEL = "Language · 언어"  # in both languages, so a reader who cannot read the current one still finds it


def choose_language() -> str:
    """Show the sidebar choice, set this run's language, and keep it in the URL; returns "en" or "ko"."""
    if KEY not in st.session_state:
        st.session_state[KEY] = pick_language(st.query_params.get(KEY), st.context.locale)
    chosen = use_language(st.sidebar.radio(LABEL, list(LANGUAGES), format_func=LANGUAGES.get, key=KEY, horizontal=True))
    if st.query_params.get(KEY) != chosen:
        st.query_params[KEY] = chosen
    return chosen
