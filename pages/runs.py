"""Runs: every finished training run, kept across refreshes and restarts; reopen, delete, import."""
import streamlit as st

from core.errors import DataError
from core.i18n import Text, _, ngettext, tr
from core.i18n.formats import number
from core.models import REGISTRY
from core.runs.bundle import import_bundle
from core.runs.store import DamagedHistory
from core.training import adopt_network, save_imported
from core.runs.owners import LOCAL
from ui.auth import auth_configured, viewer
from ui.language import scoped, start, start_many
from ui.state import RESULTS, current_dataset, current_run, delete_run, get_store, open_run, plain, set_aside_damaged_history, show_error
from ui.tables import STATUSES, for_reader, header
from ui.entry import through_app


def model_names(keys: str) -> str:
    """The stored comma-separated model keys as the models' names."""
    return ", ".join(_(REGISTRY[k].label) if k in REGISTRY else k for k in str(keys).split(",") if k)


through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Runs"))
current_run()
try:
    store = get_store()
    who = viewer()
    runs = store.list(who)
except DataError as error:  # a damaged history: say so, offer the way out; the rest of the app still works
    show_error(error)
    if isinstance(error, DamagedHistory) and st.button(_("Set the damaged history aside and start a new one"), key="set_aside"):
        kept = set_aside_damaged_history()
        st.success(_("The damaged history was renamed to {name} and kept; a new one starts now.").format(name=plain(kept.name)))
        st.button(_("Show the new history"), key="show_new_history")
    st.stop()
st.caption(_("Saved in {folder} (set LSTM_LENS_HOME to keep them elsewhere).").format(folder=plain(store.root)))
signed_in = auth_configured()
if not signed_in:
    st.caption(_("Sign-in is not configured: this is a single-user local tool, and anyone who can open it sees every run "
                 "(SECURITY.md says how to turn sign-in on)."))
elif who.admin:
    st.caption(_("You are an administrator: every user's runs are listed, with their owner."))

if runs.empty:
    st.info(_("No runs yet. Train models on the **Train** page; every finished run is saved here."))
else:
    f1, f2 = st.columns([2, 1])
    text = f1.text_input(_("Filter by dataset"), "", placeholder=_("e.g. airline"), key="runs_filter")
    every = sorted(runs["status"].unique())
    statuses = f2.multiselect(_("Status"), every, placeholder=_("Choose states"), default=start_many("runs_status", every, every), key=scoped("runs_status"),
                              format_func=lambda s: _(STATUSES.get(s, s)))
    shown = runs[runs["dataset"].str.contains(text, case=False, regex=False) & runs["status"].isin(statuses)]
    table = shown if signed_in and who.admin else shown.drop(columns=["owner"])
    table = table.assign(models=table["models"].map(model_names), status=table["status"].map(lambda s: STATUSES.get(s, s)),
                         message=table["message"].fillna(""))  # a finished run has none: blank, not "None"
    if (table["message"] == "").all():
        table = table.drop(columns=["message"])  # only failed or stopped runs have one
    # Every column fits a wide page (the seconds were behind a horizontal scroll): the model list is cut to a medium
    # column; each run's models are listed whole when it is reopened (Train and Compare pages).
    st.dataframe(for_reader(table), hide_index=True, width="stretch",
                 column_config={header("models"): st.column_config.TextColumn(width="medium"),
                                header("best MASE"): st.column_config.NumberColumn(format="%.3f"),
                                header("seconds"): st.column_config.NumberColumn(format="%.1f")})
    finished = shown[shown["status"] == "finished"]
    if not finished.empty:
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        labels = {rid: " · ".join((created, tr(name), _("best {model}").format(model=tr(best)) if best else _("best —")))
                  for rid, created, name, best in zip(finished["id"], finished["created"], finished["dataset"], finished["best model"])}
        chosen = c1.selectbox(_("Run"), list(labels), format_func=labels.get, key=scoped("run_pick"), index=start("run_pick", list(labels)))
        if c2.button(_("Reopen"), type="primary", key="reopen_run"):
            try:
                open_run(chosen)
                st.success(_("Reopened: Compare, Inside the LSTM and Learn now show this run."))
            except DataError as error:
                show_error(error)
        if c3.button(_("Delete"), key="delete_run"):
            delete_run(chosen)
            st.rerun()
    interrupted = runs[runs["status"] == "interrupted"]
    if len(interrupted):
        n1, n2 = st.columns([3, 1], vertical_alignment="center")
        n1.caption(ngettext("{count} run was interrupted (the server stopped during training); it holds no results.",
                            "{count} runs were interrupted (the server stopped during training); they hold no results.",
                            len(interrupted)).format(count=number(len(interrupted))))
        if n2.button(_("Delete interrupted runs"), key="delete_interrupted"):
            for run_id in interrupted["id"]:
                delete_run(run_id)
            st.rerun()

if signed_in and who.admin and (runs["owner"] == LOCAL).any():
    with st.expander(_("Runs from before sign-in ({count}): hand them to a user").format(count=number(int((runs["owner"] == LOCAL).sum())))):
        target = st.text_input(_("Owner to hand them to (issuer and subject, as the owner column shows them)"), key="reassign_to")
        if st.button(_("Hand over the runs from before sign-in"), key="reassign"):
            try:
                moved = store.reassign(LOCAL, target, who)
                st.success(_("{count} run(s) now belong to {owner}.").format(count=number(moved), owner=plain(target)))
            except DataError as error:
                show_error(error)

st.subheader(_("Import"))
i1, i2 = st.columns(2)
bundle = i1.file_uploader(_("A run bundle (.zip) exported from LSTM Lens"), type=["zip"], key="bundle_upload")
if bundle is not None and i1.button(_("Import bundle"), key="import_bundle"):
    try:
        run_id = save_imported(import_bundle(bundle.getvalue()), store, owner=who.owner)
        open_run(run_id)
        st.success(_("Imported as run {run}; it is open now.").format(run=plain(run_id)))
    except DataError as error:
        show_error(error)
model_file = i2.file_uploader(_("A Keras model (.keras) to use on the current series"), type=["keras"], key="keras_upload",
                              help=_("Loaded in safe mode: a model containing code (Lambda layers) is refused. Its input shape must match the current data."))
if model_file is not None and i2.button(_("Use this model"), key="use_model"):
    from core.models.keras_training import load_network_bytes

    dataset = current_dataset()
    try:
        if dataset is None:
            raise DataError(Text("Choose a series on the Data page first; the model is checked against it."))
        st.session_state[RESULTS] = adopt_network(load_network_bytes(model_file.getvalue()), dataset)
        st.success(_("The model is loaded and scored on the last points of your series; see Compare and Inside the LSTM."))
    except DataError as error:
        show_error(error)
