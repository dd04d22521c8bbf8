"""Runs: every finished training run, kept across refreshes and restarts; reopen, delete, import."""
import streamlit as st

from core.errors import DataError
from core.i18n import Text
from core.runs.bundle import import_bundle
from core.runs.store import DamagedHistory
from core.training import adopt_network, save_imported
from core.runs.owners import LOCAL
from ui.auth import auth_configured, viewer
from ui.state import RESULTS, current_dataset, current_run, delete_run, get_store, open_run, plain, set_aside_damaged_history, show_error

st.title("Runs")
current_run()
try:
    store = get_store()
    who = viewer()
    runs = store.list(who)
except DataError as error:  # a damaged history: say so, offer the way out; the rest of the app still works
    show_error(error)
    if isinstance(error, DamagedHistory) and st.button("Set the damaged history aside and start a new one", key="set_aside"):
        kept = set_aside_damaged_history()
        st.success(f"The damaged history was renamed to {plain(kept.name)} and kept; a new one starts now.")
        st.button("Show the new history")
    st.stop()
st.caption(f"Saved in {plain(store.root)} (set LSTM_LENS_HOME to keep them elsewhere).")
signed_in = auth_configured()
if not signed_in:
    st.caption("Sign-in is not configured: this is a single-user local tool, and anyone who can open it sees every run "
               "(SECURITY.md says how to turn sign-in on).")
elif who.admin:
    st.caption("You are an administrator: every user's runs are listed, with their owner.")

if runs.empty:
    st.info("No runs yet. Train models on the **Train** page; every finished run is saved here.")
else:
    f1, f2 = st.columns([2, 1])
    text = f1.text_input("Filter by dataset", "", placeholder="e.g. airline")
    statuses = f2.multiselect("Status", sorted(runs["status"].unique()), default=sorted(runs["status"].unique()))
    shown = runs[runs["dataset"].str.contains(text, case=False, regex=False) & runs["status"].isin(statuses)]
    st.dataframe(shown if signed_in and who.admin else shown.drop(columns=["owner"]), hide_index=True, width="stretch",
                 column_config={"best MASE": st.column_config.NumberColumn(format="%.3f"), "seconds": st.column_config.NumberColumn(format="%.1f")})
    finished = shown[shown["status"] == "finished"]
    if not finished.empty:
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        labels = {rid: f"{created} · {name} · best {best or '—'}"
                  for rid, created, name, best in zip(finished["id"], finished["created"], finished["dataset"], finished["best model"])}
        chosen = c1.selectbox("Run", list(labels), format_func=labels.get)
        if c2.button("Reopen", type="primary", key="reopen_run"):
            try:
                open_run(chosen)
                st.success("Reopened: Compare, Inside the LSTM and Learn now show this run.")
            except DataError as error:
                show_error(error)
        if c3.button("Delete", key="delete_run"):
            delete_run(chosen)
            st.rerun()
    interrupted = runs[runs["status"] == "interrupted"]
    if len(interrupted):
        n1, n2 = st.columns([3, 1], vertical_alignment="center")
        n1.caption(f"{len(interrupted):,} run(s) were interrupted (the server stopped during training); they hold no results.")
        if n2.button("Delete interrupted runs", key="delete_interrupted"):
            for run_id in interrupted["id"]:
                delete_run(run_id)
            st.rerun()

if signed_in and who.admin and (runs["owner"] == LOCAL).any():
    with st.expander(f"Runs from before sign-in ({int((runs['owner'] == LOCAL).sum()):,}): hand them to a user"):
        target = st.text_input("Owner to hand them to (issuer and subject, as the owner column shows them)", key="reassign_to")
        if st.button("Hand over the runs from before sign-in", key="reassign"):
            try:
                moved = store.reassign(LOCAL, target, who)
                st.success(f"{moved:,} run(s) now belong to {plain(target)}.")
            except DataError as error:
                show_error(error)

st.subheader("Import")
i1, i2 = st.columns(2)
bundle = i1.file_uploader("A run bundle (.zip) exported from LSTM Lens", type=["zip"], key="bundle_upload")
if bundle is not None and i1.button("Import bundle"):
    try:
        run_id = save_imported(import_bundle(bundle.getvalue()), store, owner=who.owner)
        open_run(run_id)
        st.success(f"Imported as run {plain(run_id)}; it is open now.")
    except DataError as error:
        show_error(error)
model_file = i2.file_uploader("A Keras model (.keras) to use on the current series", type=["keras"], key="keras_upload",
                              help="Loaded in safe mode: a model containing code (Lambda layers) is refused. Its input shape must match the current data.")
if model_file is not None and i2.button("Use this model"):
    from core.models.keras_training import load_network_bytes

    dataset = current_dataset()
    try:
        if dataset is None:
            raise DataError(Text("Choose a series on the Data page first; the model is checked against it."))
        st.session_state[RESULTS] = adopt_network(load_network_bytes(model_file.getvalue()), dataset)
        st.success("The model is loaded and scored on the last points of your series; see Compare and Inside the LSTM.")
    except DataError as error:
        show_error(error)
