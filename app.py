"""LSTM Lens: page config, the reader's language, the run named in the URL, and navigation."""
from pathlib import Path

import streamlit as st

from core.i18n import N_, _
from ui.auth import require_sign_in
from ui.language import choose_language
from ui.jobs import adopt_finished, jobs_elsewhere, sidebar_status
from ui.state import TRAIN_PRESSED, current_run

_HERE = Path(__file__).parent
# The tab's icon is an SVG of ours (a lens over a wave), sent inline as a data URL. An emoji made a fresh server's first
# page compile Streamlit's emoji catalogue (0.1 s before the first chart); a Material symbol is fetched from Google's
# servers; a PNG goes through Pillow on every run.
st.set_page_config(page_title="LSTM Lens", page_icon=str(_HERE / "ui" / "tab_icon.svg"), layout="wide")
choose_language()  # before any text is drawn: every sentence below follows it
require_sign_in()  # with [auth] configured, nothing below runs for a signed-out visitor
adopt_finished()  # a training or batch that ended while the reader was on any page: its result is the session's now
# A refreshed or shared URL names its run (?run=…); reopen it before any page runs, since
# navigating to another page drops the URL's parameters.
current_run()

_PAGES = [
    ("pages/data.py", N_("Data"), ":material/table_chart:"),
    ("pages/train.py", N_("Train"), ":material/model_training:"),
    ("pages/compare.py", N_("Compare"), ":material/compare_arrows:"),
    ("pages/gates.py", N_("Inside the LSTM"), ":material/memory:"),
    ("pages/learn.py", N_("Learn"), ":material/school:"),
    ("pages/runs.py", N_("Runs"), ":material/history:"),
    ("pages/batch.py", N_("Batch"), ":material/stacks:"),
]
pages = [st.Page(path, title=_(title), icon=icon, default=i == 0) for i, (path, title, icon) in enumerate(_PAGES) if (_HERE / path).exists()]
page = st.navigation(pages)
if page.url_path != "train":  # a Train click whose run was cut short by opening another page starts nothing later
    st.session_state.pop(TRAIN_PRESSED, None)
sidebar_status(jobs_elsewhere(page.url_path))  # how far a training or batch started on another page is
page.run()
