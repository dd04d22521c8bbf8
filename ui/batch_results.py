"""The Batch page's results: the M4-style leaderboard, how errors spread over the series, and any series' chart."""
import streamlit as st

from core.charts.batch import error_distribution_chart, held_out_chart
from core.charts.common import model_colors
from core.i18n import N_, _, tr
from core.i18n.formats import number
from core.models import GLOBAL_LSTM, label
from core.runs.exports import safe_csv
from ui.language import scoped, start_many
from ui.state import new_click, plain
from ui.tables import for_reader, header

SCHEDULERS = {"serial": N_("this process, one series after another"), "local": N_("a local Dask cluster"),
              "Dask, local": N_("a local Dask cluster"), "dask client": N_("a Dask cluster")}


def show_result(result):
    ok = result.metrics[result.metrics["error"] == ""]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(_("Series forecast"), number(ok["unique_id"].nunique()))
    m2.metric(_("Skipped"), number(len(result.skipped)))
    m3.metric(_("Wall time"), _("{seconds} s").format(seconds=number(result.seconds, 1)))
    m4.metric(_("Ran on"), _(SCHEDULERS[result.scheduler]) if result.scheduler in SCHEDULERS else result.scheduler)

    st.subheader(_("Leaderboard (means over the series)"))
    if result.score_season and result.score_season != result.season:
        st.caption(_("Scored with season {scored} (MASE's scale and Naive2's adjustment); the models used season {season}.").format(
            scored=result.score_season, season=result.season))
    st.caption(_("sMAPE and MASE are averaged over the series, as in M4; OWA divides each by Naive2's and averages the two "
                 "(below 1 beats Naive2). fit s is the total fitting time over all series."))
    summary = for_reader(result.summary)
    st.dataframe(summary.style.format({"sMAPE": "{:.3f}", "MASE": "{:.3f}", "OWA": "{:.3f}", header("fit s"): "{:.1f}"}),
                 hide_index=True, width="stretch")
    for note in result.notes:
        st.caption(plain(tr(note)))
    failed = result.metrics[result.metrics["error"] != ""]
    if len(failed):
        with st.expander(_("{count} model fits failed; the other models' results stand").format(count=number(len(failed)))):
            st.dataframe(for_reader(failed[["unique_id", "model", "error"]]), hide_index=True, width="stretch")
    if len(result.skipped):
        with st.expander(_("{count} series skipped, with the reason").format(count=number(len(result.skipped)))):
            st.dataframe(for_reader(result.skipped), hide_index=True, width="stretch")

    if ok.empty:
        return
    st.subheader(_("How errors spread over the series"))
    metric = st.radio(_("Metric"), ["MASE", "sMAPE"], horizontal=True, key="batch_metric")
    order = [m for m in result.summary["model"]]
    event = st.plotly_chart(error_distribution_chart(result.metrics, metric, order), on_select="rerun", selection_mode="points",
                            key="batch_points", config={"displaylogo": False})
    clicked = [p.get("customdata") for p in (event.selection.points if event else []) if p.get("customdata")]

    st.subheader(_("Every series"))
    wide = ok.pivot_table(index="unique_id", columns="model", values="MASE", sort=False)[order]
    wide.insert(0, "best model", wide.idxmin(axis=1).map(tr))
    named = {m: f"{tr(m)} MASE" for m in order}
    table = st.dataframe(wide.reset_index().rename(columns={"unique_id": _("series"), "best model": _("best model"), **named}),
                         hide_index=True, width="stretch", height=300, on_select="rerun", selection_mode="single-row", key="batch_rows",
                         column_config={name: st.column_config.NumberColumn(format="%.3f") for name in named.values()})
    rows = table.selection.rows if table else []
    series_ids = list(wide.index)
    picked = clicked[-1] if clicked else (series_ids[rows[0]] if rows else None)
    if picked is not None and picked in series_ids and picked != st.session_state.get("batch_last_pick"):
        st.session_state["batch_last_pick"] = picked
        st.session_state["batch_series"] = picked  # a click on the chart or a row opens that series below
    sid = st.selectbox(_("Series to open"), series_ids, key="batch_series")
    shown = st.multiselect(_("Intervals"), order, placeholder=_("Choose models"), default=start_many("batch_intervals", order, order[:1]), format_func=tr,
                           key=scoped("batch_intervals"))
    can_look = GLOBAL_LSTM in result.models
    event = st.plotly_chart(held_out_chart(result.history[sid], result.forecasts, sid, result.level, show_intervals=shown,
                                           tail=4 * result.horizon, colors=model_colors(order)),
                            config={"displaylogo": False}, key=f"batch_series_chart_{sid}", on_select="rerun" if can_look else "ignore",
                            selection_mode="points")
    picked = new_click(event, f"batch_series_chart_{sid}")
    if can_look:
        st.caption(_("Click a date on the chart to look inside the {model} on {series} at the window ending on it.").format(
            model=plain(_(label(GLOBAL_LSTM))), series=plain(sid)))
        base = result.models[GLOBAL_LSTM].base_note(sid)
        if base:
            st.caption(plain(tr(base)))
    look_inside(result, sid, picked)

    d1, d2, d3 = st.columns(3)
    d1.download_button(_("Summary (CSV)"), safe_csv(result.summary), "batch_summary.csv", "text/csv", key="dl_batch_summary")
    d2.download_button(_("Per-series metrics (CSV)"), safe_csv(result.metrics), "batch_metrics.csv", "text/csv", key="dl_batch_metrics")
    d3.download_button(_("Forecasts (CSV)"), safe_csv(result.forecasts), "batch_forecasts.csv", "text/csv", key="dl_batch_forecasts")


def look_inside(result, sid: str, clicked=None) -> None:
    """A button that opens Inside the LSTM on this series with the batch's global network (saved with the batch);
    a date ``clicked`` on the series' chart opens it at the window ending on that date."""
    from core.training import global_series_run
    from ui.state import DATASET, INSPECT_AT, RESULTS, show_error

    if GLOBAL_LSTM not in result.models:
        if label(GLOBAL_LSTM) in set(result.summary["model"]):
            st.caption(_("To look inside the {model} on a series, run the batch again: this batch's network could not be read back.").format(
                model=plain(_(label(GLOBAL_LSTM)))))
        return
    pressed = st.button(_("Look inside the {model} on {series}").format(model=_(label(GLOBAL_LSTM)), series=sid), key="batch_look_inside",
                        icon=":material/visibility:",
                        help=_("Inside the LSTM shows the one network trained on every series, reading this series' windows on its dates."))
    if pressed or clicked is not None:
        try:
            run = global_series_run(result, sid)
        except ValueError as error:
            show_error(error)
            return
        st.session_state[RESULTS] = run
        st.session_state[DATASET] = run.dataset
        st.query_params.pop("run", None)
        if clicked is not None:
            st.session_state[INSPECT_AT] = {"date": clicked, "where": N_("Batch page's series chart")}
        st.switch_page("pages/gates.py")
