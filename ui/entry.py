"""Every page runs inside app.py, whatever URL opened it.

While a ``pages/`` folder sits beside the entry script and no ``st.navigation`` has run yet in the server process,
Streamlit uses its older multipage mode: the first visitor of a fresh server who opens a page's own URL (``/runs``)
gets that page's script run alone, without app.py's sign-in, language and page settings. Each page calls
``through_app`` first; in that one case it switches Streamlit to app.py's navigation and runs the same URL again.
"""
from __future__ import annotations

import streamlit as st


def through_app() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:  # True only until app.py's st.navigation first runs in this process
        PagesManager.uses_pages_directory = False
        st.rerun()
