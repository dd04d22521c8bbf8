"""Session-state keys shared between pages, and the one way pages show user errors."""
from __future__ import annotations

import streamlit as st

from core.i18n import N_, _, tr
from core.runs.records import Dataset, TrainingRun  # noqa: F401  (re-exported for pages)

DATASET = "dataset"          # Dataset: the cleaned series every page works on
RESULTS = "results"          # training results (core.evaluation.holdout.Evaluation)
JOB = "training_job"         # ui.training_job.TrainingJob: a Train press whose training runs in its own thread
JUST_SAVED = "training_just_saved"  # the run id of a training that just ended well, for the Train page's line
TRAIN_PRESSED = "train_pressed"  # the Train button's click, set before the run it starts (the button is drawn disabled in it)
BATCH = "batch_result"       # the Batch page's result (core.batch.panel.BatchResult)
BATCH_ID = "batch_id"        # its saved id
BATCH_JOB = "batch_job"      # ui.batch_job.BatchJob: a batch running in its own thread


def current_dataset() -> Dataset | None:
    current_run()  # a refreshed page gets its dataset back with its run
    return st.session_state.get(DATASET)


def _required(value, missing: str, page: str, link: str, icon: str):
    """The value, or a sentence and a link to the page that makes it, and this page stops."""
    if value is None:
        st.info(_(missing))
        st.page_link(page, label=_(link), icon=icon)
        st.stop()
    return value


def require_dataset() -> Dataset:
    return _required(current_dataset(), N_("No series chosen yet. Open the **Data** page, pick a sample or upload a file, and come back."),
                     "pages/data.py", N_("Go to Data"), ":material/table_chart:")


def show_error(error: Exception) -> None:
    """A user-fixable problem in the reader's language, as plain text: no Markdown, HTML or traceback (its sentence may
    quote the user's cells)."""
    st.error(plain(tr(error)), icon=":material/error:")


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|$~"


def plain(text) -> str:
    """Escape Markdown so user strings (column names, cell values) show as typed."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def next_step(path: str, label: str) -> None:
    """A link to the next page in the workflow, when that page exists."""
    from pathlib import Path

    if (Path(__file__).resolve().parent.parent / path).exists():
        st.page_link(path, label=label, icon=":material/arrow_forward:")


@st.cache_resource
def _store(root: str):
    from core.runs.store import RunStore

    return RunStore(root)


def get_store():
    """The run store of the current data directory ($LSTM_LENS_HOME or ~/.lstm-lens)."""
    from core.runs.store import data_dir

    return _store(str(data_dir()))


@st.cache_resource(max_entries=8, show_spinner=False)
def _load_run(root: str, run_id: str) -> TrainingRun:
    return _store(root).load(run_id)


def open_run(run_id: str) -> TrainingRun:
    """Put a saved run (and its dataset) into this session, without retraining.

    The run is read once for the whole server; each session gets its own copy to change."""
    from core.errors import DataError
    from core.i18n import Text

    from ui.auth import viewer

    store = get_store()
    if not store.exists(run_id, viewer()):  # deleted (by another session or the CLI), or another user's: never served
        raise DataError(Text("There is no run '{run_id}' in your history; it may have been deleted.", run_id=str(run_id)[:40]))
    with st.spinner(_("Reopening the saved run…")):
        run = _load_run(str(store.root), run_id).session_copy()
    st.session_state[RESULTS] = run
    st.session_state[DATASET] = run.dataset
    st.query_params["run"] = run_id
    return run


def set_aside_damaged_history():
    """Rename the damaged runs.sqlite (kept for repair) and forget the store opened on it; the next page starts a new one."""
    from core.runs.store import set_aside_history

    kept = set_aside_history()  # in the current data directory
    _store.clear()
    _load_run.clear()
    return kept


def delete_run(run_id: str) -> None:
    """Delete a saved run everywhere: its files, the server's cache, and this session if it shows that run (the
    owner's or an administrator's to delete)."""
    from ui.auth import viewer

    get_store().delete(run_id, viewer())
    _load_run.clear()
    current = st.session_state.get(RESULTS)
    if current is not None and current.run_id == run_id:
        del st.session_state[RESULTS]
        st.query_params.pop("run", None)


def current_run() -> TrainingRun | None:
    """This session's run; after a browser refresh or a server restart, the one named in the URL (?run=…)."""
    run = st.session_state.get(RESULTS)
    if run is None and st.query_params.get("run"):
        try:
            run = open_run(st.query_params["run"])
        except ValueError as error:  # an unknown id, an unfinished run or a damaged history: say which
            del st.query_params["run"]
            show_error(error)
            return None
    if run is not None and run.run_id:
        st.query_params["run"] = run.run_id  # navigation clears the URL; keep the run in it so a refresh finds it
    return run


def require_run() -> TrainingRun:
    return _required(current_run(), N_("Nothing trained yet. Open **Train**, pick models and press **Train models**."),
                     "pages/train.py", N_("Go to Train"), ":material/model_training:")


@st.cache_resource(show_spinner=False)
def _local_cluster() -> dict:
    """One local cluster for the whole server: every session's batches share its worker processes.

    Kept in a dict: a Dask client is awaitable, which st.cache_resource refuses to return directly.
    """
    from core.batch.cluster import LOCAL, open_client

    return {"client": open_client(LOCAL)}


def local_dask_client():
    with st.spinner(_("Starting a local Dask cluster…")):
        return _local_cluster()["client"]


# ---------------------------------------------------------------- click a date to look inside
INSPECT_AT = "inspect_at"  # a date clicked on a chart: Inside the LSTM opens at the window ending on it


def clicked_date(event):
    """The x value of the first point selected on a Plotly chart (``st.plotly_chart(on_select=...)``'s event), or None."""
    if not isinstance(event, dict):  # a browser session returns a dict-like state; AppTest returns no selection at all
        return None
    points = event.get("selection", {}).get("points", [])
    return points[0].get("x") if points else None


def open_inside_at(date, where: str) -> None:
    """Remember the clicked date (and the chart it came from) and go to Inside the LSTM."""
    st.session_state[INSPECT_AT] = {"date": date, "where": where}
    st.switch_page("pages/gates.py")


def new_click(event, key: str):
    """The date clicked on the chart ``key`` if it is a new click (a selection that survives a rerun, or the one
    still set when the user comes back to the page, is not acted on twice); None otherwise."""
    date = clicked_date(event)
    handled = f"{key}_handled"
    if date is None:
        st.session_state.pop(handled, None)
        return None
    if st.session_state.get(handled) == date:
        return None
    st.session_state[handled] = date
    return date
