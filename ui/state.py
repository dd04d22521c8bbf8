"""Session-state keys shared between pages, and the one way pages show user errors."""
from __future__ import annotations

import hashlib
import streamlit as st

from core.runs import Dataset, TrainingRun  # noqa: F401  (re-exported for pages)

DATASET = "dataset"          # Dataset: the cleaned series every page works on
RESULTS = "results"          # training results (core.evaluation.Evaluation)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def current_dataset() -> Dataset | None:
    return st.session_state.get(DATASET)


def require_dataset() -> Dataset:
    dataset = current_dataset()
    if dataset is None:
        st.info("No series chosen yet. Open the **Data** page, pick a sample or upload a file, and come back.")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/table_chart:")
        st.stop()
    return dataset


def show_error(error: Exception) -> None:
    """A user-fixable problem, as text (never HTML, never a traceback)."""
    st.error(str(error), icon=":material/error:")


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|$~"


def plain(text) -> str:
    """Escape Markdown so user strings (column names, cell values) show as typed."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def next_step(path: str, label: str) -> None:
    """A link to the next page in the workflow, when that page exists."""
    from pathlib import Path

    if (Path(__file__).resolve().parent.parent / path).exists():
        st.page_link(path, label=label, icon=":material/arrow_forward:")


def current_run() -> TrainingRun | None:
    return st.session_state.get(RESULTS)


def require_run() -> TrainingRun:
    run = current_run()
    if run is None:
        st.info("Nothing trained yet. Open **Train**, pick models and press **Train models**.")
        st.page_link("pages/train.py", label="Go to Train", icon=":material/model_training:")
        st.stop()
    return run
