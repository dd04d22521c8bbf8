"""Batch: many series at once, per-series models on Dask, a global LSTM, the aggregate leaderboard."""
import streamlit as st

from core.batch.cluster import LOCAL, SERIAL, check_scheduler, local_workers
from core.batch.panel import check_columns, suggest_settings
from core.data.samples import PANELS
from core.errors import DataError
from core.evaluation.holdout import ModelSpec
from core.i18n import N_, Text, _
from core.i18n.formats import number
from core.models import DEFAULT_BATCH_MODELS, GLOBAL_LSTM, NAIVE2, REGISTRY, label, preload_needs
from core.runs.batches import load_batch
from ui.auth import viewer
from ui.language import scoped, start, start_many
from ui.batch_results import show_result
from ui.batch_job import BatchJob, current_batch_job, follow
from ui.state import BATCH, BATCH_ID, BATCH_JOB, local_dask_client, plain, show_error
from ui.tables_io import load_table
from ui.entry import through_app

CHOICES = [k for k in REGISTRY if k != NAIVE2]  # Naive2 is always scored: OWA is relative to it


def table_source():
    left, right = st.columns([1, 3])
    sources = {"Sample": N_("Sample"), "Upload a long-format file": N_("Upload a long-format file")}
    source = left.radio(_("Series"), list(sources), format_func=lambda s: _(sources[s]), key=scoped("batch_source"),
                        index=start("batch_source", list(sources)))
    if source == "Sample":
        panel = PANELS[0] if len(PANELS) == 1 else right.selectbox(_("Sample"), PANELS, format_func=lambda p: _(p.title),
                                                                   key=scoped("batch_sample"), index=start("batch_sample", list(PANELS)))
        right.markdown(f"**{plain(_(panel.title))}**. {plain(_(panel.about))} " + plain(_("Source and licence: sample_data/README.md.")))
        return panel.read_bytes(), panel.file, panel
    upload = right.file_uploader(_("One row per series and time: a series id column, a date column and a value column "
                                   "(CSV, TSV, TXT, Excel or Parquet)"), type=["csv", "tsv", "txt", "xlsx", "parquet"], key="batch_upload")
    if upload is None:
        return None, None, None
    return upload.getvalue(), upload.name, None


def choose_columns(frame, guess):
    columns = [str(c) for c in frame.columns]
    c1, c2, c3 = st.columns(3)

    def pick(box, text, default, key):
        return box.selectbox(text, columns, index=columns.index(default) if default in columns else 0, key=key)

    id_col = pick(c1, _("Series id column"), guess.id or ("unique_id" if "unique_id" in columns else None), "batch_id_col")
    date_col = pick(c2, _("Date column"), guess.date, "batch_date_col")
    value_col = pick(c3, _("Value column"), guess.target, "batch_value_col")
    return id_col, date_col, value_col


def lengths_caption(frame, id_col):
    counts = frame.groupby(id_col, sort=False).size()
    st.caption(_("{series} series, {rows} rows; lengths {shortest} to {longest} (median {median}).").format(
        series=number(len(counts)), rows=number(len(frame)), shortest=number(counts.min()), longest=number(counts.max()),
        median=number(int(counts.median()))))
    return list(map(str, counts.index))


def settings(panel, frame, id_col, date_col, value_col):
    season_default, horizon_default = (panel.season, panel.horizon) if panel else suggested(frame, id_col, date_col, value_col)
    c1, c2, c4, c3 = st.columns([1, 1, 1, 3])
    horizon = c1.number_input(_("Horizon (steps held out and forecast)"), 1, 10_000, horizon_default, key="batch_horizon")
    season = c2.number_input(_("Season (steps; 1 = none)"), 1, 10_000, season_default, key="batch_season")
    score_season = c4.number_input(_("Season for scoring (0 = as above)"), 0, 10_000, 0, key="batch_score_season",
                                   help=_("0: the season above. Otherwise the season that scales MASE and seasonally adjusts Naive2 "
                                          "while the models keep theirs; M4 scored weekly data with 1."))
    models = c3.multiselect(_("Models"), CHOICES, placeholder=_("Choose models"), default=start_many("batch_models", CHOICES, list(DEFAULT_BATCH_MODELS)),
                            format_func=lambda k: _(label(k)), key=scoped("batch_models"),
                            help=_("{naive2} is always scored too: OWA is relative to it.").format(naive2=_(label(NAIVE2))) + " " +
                                 " ".join(f"{_(label(k))}: {_(REGISTRY[k].about)}" for k in CHOICES))
    for key in models:
        if REGISTRY[key].needs_season and season < 2:
            st.warning(_("{model} needs a season of at least 2; with season 1 it will be listed as failed on every series.").format(
                model=plain(_(label(key)))))
    embedding = 0
    if GLOBAL_LSTM in models:
        embedding = 8 if st.checkbox(_("Give the global LSTM a series embedding"), key="batch_embedding",
                                     help=_("A learned vector of 8 numbers per series, joined to the LSTM's summary of the window: "
                                            "the network can then treat series differently, at the cost of more to learn.")) else 0
    for key in models:
        if REGISTRY[key].slow and not REGISTRY[key].panel:
            st.warning(_("{model} trains one network per series (about a minute each on 2 cores); {global_lstm} trains one for all.").format(
                model=plain(_(label(key))), global_lstm=plain(_(label(GLOBAL_LSTM)))))
    where_options = [LOCAL, SERIAL, "address"]
    where_labels = {LOCAL: _("Local Dask cluster ({workers} worker processes)").format(workers=local_workers()),
                    SERIAL: _("This process, one series after another"), "address": _("A Dask scheduler (address)")}
    w1, w2 = st.columns([2, 2])
    where = w1.radio(_("Run per-series models on"), where_options, format_func=where_labels.get, key=scoped("batch_where"),
                     index=start("batch_where", where_options))
    address = w2.text_input(_("Scheduler address"), "tcp://127.0.0.1:8786", key="batch_address", disabled=where != "address",
                            help=_("Only schedulers the administrator lists in LSTM_LENS_SCHEDULERS. Every worker needs LSTM Lens's "
                                   "requirements and its core/ folder on its Python path."))
    params = {GLOBAL_LSTM: {"embedding": embedding}} if embedding else {}
    return (int(horizon), int(season), [ModelSpec(k, params.get(k, {})) for k in models], (address if where == "address" else where),
            int(score_season) or None)


@st.cache_data(max_entries=16, show_spinner=False)
def suggested(frame, id_col, date_col, value_col):
    return suggest_settings(frame, id_col, date_col, value_col)


through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Batch"))
st.caption(_("Many series at once: every model on every series' last points, the M4 means (sMAPE, MASE, OWA), and any series' chart. "
             "Per-series models run in parallel on Dask; the global LSTM trains one network for all."))

if BATCH not in st.session_state and st.query_params.get("batch"):
    try:
        st.session_state[BATCH] = load_batch(st.query_params["batch"], viewer=viewer())
        st.session_state[BATCH_ID] = st.query_params["batch"]
    except DataError as error:
        del st.query_params["batch"]
        show_error(error)
elif st.session_state.get(BATCH_ID):
    st.query_params["batch"] = st.session_state[BATCH_ID]  # navigation clears the URL; a refresh must find the batch

job = current_batch_job()
if job is not None and not job.running:  # stopped or failed (one that ended well, app.py took)
    if job.stopped:
        st.warning(_("Batch stopped: nothing of it was kept. The results below, if any, are from before."))
    else:
        show_error(job.error if isinstance(job.error, DataError) else DataError(
            Text("The batch failed: {kind}: {error}", kind=type(job.error).__name__, error=str(job.error)[:300])))
    del st.session_state[BATCH_JOB]
    job = None

data, filename, panel = table_source()
if data is not None:
    try:
        frame, guess = load_table(data, filename)
        check_columns(frame)
        columns = choose_columns(frame, guess)
        check_columns(frame, columns)
        ids = lengths_caption(frame, columns[0])
        horizon, season, models, where, score_season = settings(panel, frame, *columns)
        preload_needs([spec.key for spec in models])  # the libraries import while the settings are chosen (Train page too)
        running = job is not None and job.running
        if st.button(_("Run the batch"), type="primary", disabled=not models or running, key="run_batch") and not running:
            check_scheduler(where, listed_only=True)
            client = local_dask_client() if where == LOCAL else None
            job = st.session_state[BATCH_JOB] = BatchJob(ids).start(
                frame, models, horizon, season, columns=columns, scheduler=SERIAL if where == LOCAL else where, client=client,
                score_season=score_season, owner=viewer().owner)
            st.rerun()  # the page again, its Run button off while the batch runs
    except DataError as error:
        show_error(error)
        if BATCH in st.session_state:
            st.info(_("The results of your last batch are still shown below."))
elif BATCH not in st.session_state and job is None:
    st.info(_("Pick the sample or upload a file with one row per series and time step."))
if job is not None and job.running:
    follow(job)  # until it ends, then the page again

if BATCH in st.session_state:
    st.divider()
    show_result(st.session_state[BATCH])
