"""LSTM Lens: page config, the run named in the URL, and navigation."""
from pathlib import Path

import streamlit as st

from ui.auth import require_sign_in
from ui.state import current_run

st.set_page_config(page_title="LSTM Lens", page_icon="🔎", layout="wide")
require_sign_in()  # with [auth] configured, nothing below runs for a signed-out visitor
# A refreshed or shared URL names its run (?run=…); reopen it before any page runs, since
# navigating to another page drops the URL's parameters.
current_run()

_PAGES = [
    ("pages/data.py", "Data", ":material/table_chart:"),
    ("pages/train.py", "Train", ":material/model_training:"),
    ("pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("pages/gates.py", "Inside the LSTM", ":material/memory:"),
    ("pages/learn.py", "Learn", ":material/school:"),
    ("pages/runs.py", "Runs", ":material/history:"),
    ("pages/batch.py", "Batch", ":material/stacks:"),
]
_HERE = Path(__file__).parent
pages = [st.Page(path, title=title, icon=icon, default=i == 0) for i, (path, title, icon) in enumerate(_PAGES) if (_HERE / path).exists()]
st.navigation(pages).run()
