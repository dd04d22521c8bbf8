"""Batch: many series at once, per-series models on Dask, a global LSTM, the aggregate leaderboard."""
import time

import numpy as np
import pandas as pd
import streamlit as st

from core.batch.panel import model_label, run_batch
from core.charts.batch import error_distribution_chart, held_out_chart
from core.runs.batches import load_batch, save_batch
from core.charts.common import model_colors
from core.batch.cluster import LOCAL, SERIAL, check_scheduler, local_workers
from core.errors import DataError
from core.evaluation.holdout import ModelSpec
from core.runs.exports import safe_csv
from core.models import REGISTRY
from core.data.samples import PANELS
from ui.state import plain, show_error
from ui.tables_io import load_table

BATCH = "batch_result"
BATCH_ID = "batch_id"
CHOICES = ["naive", "snaive", "regression", "arima", "lstm", "global_lstm"]
DEFAULTS = ["snaive", "regression", "global_lstm"]
ABOUT = {**{k: REGISTRY[k].about for k in REGISTRY}, "global_lstm": "One LSTM trained on windows from every series, each "
         "window on its own scale; trains once for the whole batch."}


@st.cache_resource(show_spinner="Starting a local Dask cluster…")
def _local_cluster() -> dict:
    """One local cluster for the whole server: every session's batches share its worker processes.

    Kept in a dict: a Dask client is awaitable, which st.cache_resource refuses to return directly.
    """
    from core.batch.cluster import open_client

    return {"client": open_client(LOCAL)}


def local_client():
    return _local_cluster()["client"]


def table_source():
    left, right = st.columns([1, 3])
    source = left.radio("Series", ["Sample", "Upload a long-format file"], key="batch_source")
    if source == "Sample":
        panel = PANELS[0] if len(PANELS) == 1 else right.selectbox("Sample", PANELS, format_func=lambda p: p.title)
        right.markdown(f"**{plain(panel.title)}**. {plain(panel.about)} Source and licence: sample\\_data/README.md.")
        return panel.read_bytes(), panel.file, panel
    upload = right.file_uploader("One row per series and time: a series id column, a date column and a value column "
                                 "(CSV, TSV, TXT, Excel or Parquet)", type=["csv", "tsv", "txt", "xlsx", "parquet"], key="batch_upload")
    if upload is None:
        return None, None, None
    return upload.getvalue(), upload.name, None


def choose_columns(frame, guess):
    columns = [str(c) for c in frame.columns]
    c1, c2, c3 = st.columns(3)

    def pick(box, label, default, key):
        return box.selectbox(label, columns, index=columns.index(default) if default in columns else 0, key=key)

    id_col = pick(c1, "Series id column", guess.id or ("unique_id" if "unique_id" in columns else None), "batch_id_col")
    date_col = pick(c2, "Date column", guess.date, "batch_date_col")
    value_col = pick(c3, "Value column", guess.target, "batch_value_col")
    return id_col, date_col, value_col


def lengths_caption(frame, id_col):
    counts = frame.groupby(id_col, sort=False).size()
    st.caption(f"{len(counts):,} series, {len(frame):,} rows; lengths {counts.min():,} to {counts.max():,} "
               f"(median {int(counts.median()):,}).")
    return list(map(str, counts.index))


def settings(panel, frame, id_col, date_col, value_col):
    season_default, horizon_default = (panel.season, panel.horizon) if panel else guess_season(frame, id_col, date_col, value_col)
    c1, c2, c3 = st.columns([1, 1, 3])
    horizon = c1.number_input("Horizon (steps held out and forecast)", 1, 10_000, horizon_default, key="batch_horizon")
    season = c2.number_input("Season (steps; 1 = none)", 1, 10_000, season_default, key="batch_season")
    models = c3.multiselect("Models", CHOICES, default=DEFAULTS, format_func=model_label, key="batch_models",
                            help="Naive2 is always scored too: OWA is relative to it. " +
                                 " ".join(f"{model_label(k)}: {ABOUT[k]}" for k in CHOICES))
    if "snaive" in models and season < 2:
        st.warning("Seasonal naive needs a season of at least 2; with season 1 it will be listed as failed on every series.")
    embedding = 0
    if "global_lstm" in models:
        embedding = 8 if st.checkbox("Give the global LSTM a series embedding", key="batch_embedding",
                                     help="A learned vector of 8 numbers per series, joined to the LSTM's summary of the window: "
                                          "the network can then treat series differently, at the cost of more to learn.") else 0
    if "lstm" in models:
        st.warning("The per-series LSTM trains one network per series (about a minute each on 2 cores); the global LSTM trains one for all.")
    where_options = [LOCAL, SERIAL, "address"]
    where_labels = {LOCAL: f"Local Dask cluster ({local_workers()} worker processes)", SERIAL: "This process, one series after another",
                    "address": "A Dask scheduler (address)"}
    w1, w2 = st.columns([2, 2])
    where = w1.radio("Run per-series models on", where_options, format_func=where_labels.get, key="batch_where")
    address = w2.text_input("Scheduler address", "tcp://127.0.0.1:8786", key="batch_address", disabled=where != "address",
                            help="Every worker needs LSTM Lens's requirements and its core/ folder on its Python path.")
    params = {"global_lstm": {"embedding": embedding}} if embedding else {}
    return int(horizon), int(season), [ModelSpec(k, params.get(k, {})) for k in models], (address if where == "address" else where)


@st.cache_data(max_entries=16, show_spinner=False)
def guess_season(frame, id_col, date_col, value_col):
    """Season and horizon suggested by the first series; a reasonable default when it cannot be cleaned."""
    from core.data import to_series

    first = frame[id_col].iloc[0]
    try:
        clean = to_series(frame[frame[id_col] == first], date=date_col, target=value_col)
        season = max(1, int(clean.season))
    except DataError:
        return 1, 12
    return season, int(max(1, min(season if season > 1 else 12, len(clean.y) // 5)))


def run(frame, columns, ids, horizon, season, models: list[ModelSpec], where):
    bar = st.progress(0.0, text="Starting…")
    board = st.empty()
    state = pd.DataFrame({"series": ids, "status": "waiting", "fit seconds": np.nan}).set_index("series")
    last = [0.0]

    def draw(force=False):
        if force or time.perf_counter() - last[0] > 0.4:
            last[0] = time.perf_counter()
            board.dataframe(state.reset_index(), hide_index=True, width="stretch", height=260,
                            column_config={"fit seconds": st.column_config.NumberColumn(format="%.1f")})

    def on_series(sid, status, detail):
        state.loc[sid, "status"] = status if status != "skipped" else f"skipped: {detail}"
        if status == "done":
            state.loc[sid, "fit seconds"] = detail
        draw()

    def on_progress(fraction, message):
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    draw(force=True)
    client = local_client() if where == LOCAL else None
    result = run_batch(frame, models, horizon, season, columns=columns, scheduler=SERIAL if where == LOCAL else where, client=client,
                       on_progress=on_progress, on_series=on_series)
    if client is not None:
        result.scheduler = "Dask, local"
    state.loc[state["status"] == "waiting", "status"] = "done"
    draw(force=True)
    bar.progress(1.0, text=f"Done in {result.seconds:.1f} s.")
    return result


def show_result(result):
    ok = result.metrics[result.metrics["error"] == ""]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Series forecast", f"{ok['unique_id'].nunique():,}")
    m2.metric("Skipped", f"{len(result.skipped):,}")
    m3.metric("Wall time", f"{result.seconds:.1f} s")
    m4.metric("Ran on", result.scheduler)

    st.subheader("Leaderboard (means over the series)")
    st.caption("sMAPE and MASE are averaged over the series, as in M4; OWA divides each by Naive2's and averages the two "
               "(below 1 beats Naive2). fit s is the total fitting time over all series.")
    st.dataframe(result.summary.style.format({"sMAPE": "{:.3f}", "MASE": "{:.3f}", "OWA": "{:.3f}", "fit s": "{:.1f}"}),
                 hide_index=True, width="stretch")
    for note in result.notes:
        st.caption(plain(note))
    failed = result.metrics[result.metrics["error"] != ""]
    if len(failed):
        with st.expander(f"{len(failed)} model fits failed; the other models' results stand"):
            st.dataframe(failed[["unique_id", "model", "error"]], hide_index=True, width="stretch")
    if len(result.skipped):
        with st.expander(f"{len(result.skipped)} series skipped, with the reason"):
            st.dataframe(result.skipped, hide_index=True, width="stretch")

    if ok.empty:
        return
    st.subheader("How errors spread over the series")
    metric = st.radio("Metric", ["MASE", "sMAPE"], horizontal=True, key="batch_metric")
    order = [m for m in result.summary["model"]]
    event = st.plotly_chart(error_distribution_chart(result.metrics, metric, order), on_select="rerun", selection_mode="points",
                            key="batch_points", config={"displaylogo": False})
    clicked = [p.get("customdata") for p in (event.selection.points if event else []) if p.get("customdata")]

    st.subheader("Every series")
    wide = ok.pivot_table(index="unique_id", columns="model", values="MASE", sort=False)[order]
    wide.insert(0, "best model", wide.idxmin(axis=1))
    table = st.dataframe(wide.reset_index().rename(columns={"unique_id": "series"}), hide_index=True, width="stretch", height=300,
                         on_select="rerun", selection_mode="single-row", key="batch_rows",
                         column_config={m: st.column_config.NumberColumn(f"{m} MASE", format="%.3f") for m in order})
    rows = table.selection.rows if table else []
    series_ids = list(wide.index)
    picked = clicked[-1] if clicked else (series_ids[rows[0]] if rows else None)
    if picked is not None and picked in series_ids and picked != st.session_state.get("batch_last_pick"):
        st.session_state["batch_last_pick"] = picked
        st.session_state["batch_series"] = picked  # a click on the chart or a row opens that series below
    sid = st.selectbox("Series to open", series_ids, key="batch_series")
    shown = st.multiselect("Intervals", order, default=order[:1], key="batch_intervals")
    st.plotly_chart(held_out_chart(result.history[sid], result.forecasts, sid, result.level, show_intervals=shown, tail=4 * result.horizon,
                                 colors=model_colors(order)),
                    config={"displaylogo": False})

    d1, d2, d3 = st.columns(3)
    d1.download_button("Summary (CSV)", safe_csv(result.summary), "batch_summary.csv", "text/csv")
    d2.download_button("Per-series metrics (CSV)", safe_csv(result.metrics), "batch_metrics.csv", "text/csv")
    d3.download_button("Forecasts (CSV)", safe_csv(result.forecasts), "batch_forecasts.csv", "text/csv")


st.title("Batch")
st.caption("Many series at once: every model on every series' last points, the M4 means (sMAPE, MASE, OWA), and any series' chart. "
           "Per-series models run in parallel on Dask; the global LSTM trains one network for all.")

if BATCH not in st.session_state and st.query_params.get("batch"):
    try:
        st.session_state[BATCH] = load_batch(st.query_params["batch"])
        st.session_state[BATCH_ID] = st.query_params["batch"]
    except DataError as error:
        del st.query_params["batch"]
        show_error(error)
elif st.session_state.get(BATCH_ID):
    st.query_params["batch"] = st.session_state[BATCH_ID]  # navigation clears the URL; a refresh must find the batch

data, filename, panel = table_source()
if data is not None:
    try:
        frame, guess = load_table(data, filename)
        if frame.shape[1] < 3:
            raise DataError(f"This file has {frame.shape[1]} column(s); a batch needs three: a series id, a date and a value. "
                            "For a single series use the Data page.")
        columns = choose_columns(frame, guess)
        if len(set(columns)) < 3:
            raise DataError("Choose three different columns for the series id, the date and the value.")
        ids = lengths_caption(frame, columns[0])
        horizon, season, models, where = settings(panel, frame, *columns)
        if st.button("Run the batch", type="primary", disabled=not models):
            check_scheduler(where)
            result = run(frame, columns, ids, horizon, season, models, where)
            st.session_state[BATCH] = result
            st.session_state[BATCH_ID] = st.query_params["batch"] = save_batch(result)  # a refresh or a restart reopens it
    except DataError as error:
        show_error(error)
        if BATCH in st.session_state:
            st.info("The results of your last batch are still shown below.")
elif BATCH not in st.session_state:
    st.info("Pick the sample or upload a file with one row per series and time step.")

if BATCH in st.session_state:
    st.divider()
    show_result(st.session_state[BATCH])
