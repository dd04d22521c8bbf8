"""Compare page: every forecast on one chart, the leaderboard, errors, backtest, future forecast, downloads."""
import numpy as np
import streamlit as st

from core.charts import forecasts as charts
from core.charts.common import model_colors
from core.errors import DataError
from core.evaluation.backtest import backtest, backtest_summary
from core.evaluation.explain import lstm_loss_reasons
from core.evaluation.leaderboard import styled_leaderboard
from core.i18n import N_, _, tr
from core.i18n.formats import number
from core.models import ARIMA, LSTM, REGISTRY, label
from core.runs.exports import run_files, safe_csv
from core.training import forecast_future, future_frame
from ui.language import carried, scoped, start, start_many
from ui.state import new_click, next_step, open_inside_at, plain, require_run, show_error
from ui.tables import for_reader, header
from ui.entry import through_app

through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Compare"))
run = require_run()
evaluation = run.evaluation
ok = evaluation.ok()
if not ok:
    st.error(_("No model finished. See the messages on the Train page and train again."))
    st.stop()
labels = [r.label for r in ok.values()]
colors = model_colors(labels)
st.caption(_("**{name}** · test part: last {points} points · interval {level:.0%} · season {season}").format(
    name=plain(tr(run.dataset.name)), points=number(run.test_size), level=run.level, season=run.season))

for result in evaluation.results.values():
    if result.error:
        st.warning(_("{label} is missing from the comparison: {error}").format(label=plain(tr(result.label)), error=plain(tr(result.error))))

SPANS = {4: N_("4 seasons"), 10: N_("10 seasons"), 0: N_("all")}
c1, c2 = st.columns([3, 1])
show = c1.multiselect(_("Show intervals for"), labels, placeholder=_("Choose models"), default=start_many("show_intervals", labels,
                                                                      [l for l in labels if l in (label(ARIMA), label(LSTM))][:2]),
                      format_func=tr, key=scoped("show_intervals"),
                      help=_("Shaded bands: the range each model expects the actual to fall in, at the interval level."))
history_span = c2.select_slider(_("History shown"), list(SPANS), value=carried("history_span", 4), format_func=lambda n: _(SPANS[n]),
                                key=scoped("history_span"))
train = evaluation.train
if history_span:
    keep = max(history_span * max(run.season, 2), 3 * run.test_size)
    train = train.iloc[-keep:]
forecasts = [r.forecast for r in ok.values()]
inspectable = evaluation.inspectables()
picked = new_click(st.plotly_chart(charts.forecast_chart(train, evaluation.actual, forecasts, set(show), _("Forecasts of the held-out part"), colors),
                                   width="stretch", key="forecast_chart", on_select="rerun" if inspectable else "ignore",
                                   selection_mode="points"), "forecast_chart")
if picked is not None:
    open_inside_at(picked, N_("Compare page's forecast chart"))
if inspectable:
    st.caption(_("Click a date on the chart to look inside the {label} at the window ending on it.").format(
        label=plain(tr(next(iter(inspectable.values())).label))))

st.subheader(_("Leaderboard"))
board = evaluation.leaderboard()
board_ok = board[board["status"] == "ok"].reset_index(drop=True)
metric_cols = ["MASE", "sMAPE", "MAE", "RMSE", "MAPE", "coverage", "MSIS", "skill vs seasonal naive", "fit s", "predict s"]
st.dataframe(styled_leaderboard(board_ok.assign(model=board_ok["model"].map(tr)), metric_cols, run.level, header=header),
             hide_index=True, width="stretch")
notes = []
for r in ok.values():
    reason = getattr(r.metrics.get("MAPE"), "reason", None)
    if reason:
        notes.append(tr(reason))
        break
for reason in lstm_loss_reasons(evaluation):
    st.info(plain(tr(reason)))  # where the LSTM loses, the page says why instead of hiding it
st.caption(_("Best first by MASE (error relative to the in-sample seasonal-naive error; below 1 beats it). Green: best in its column; "
             "coverage: closest to the target level.") + " " + " ".join(notes))
with st.expander(_("Model details")):
    for r in ok.values():
        warned = r.notes and "Traceback" not in r.notes
        st.markdown(f"**{plain(tr(r.label))}**: {plain(tr(r.description) or '—')}"
                    + ("  \n" + _("*Warnings:* {notes}").format(notes=plain(tr(r.notes))) if warned else ""))

tab1, tab2, tab3, tab4 = st.tabs([_("Error by step"), _("Residuals"), _("Backtest"), _("Future forecast")])
with tab1:
    st.plotly_chart(charts.error_by_step_chart(evaluation.errors_by_step(), colors), width="stretch", key="step_chart")
with tab2:
    st.plotly_chart(charts.residual_chart(evaluation.actual, forecasts, colors), width="stretch", key="residual_chart")
with tab3:
    st.caption(_("Rolling origin: refit every model at several cut-off points and score each forecast. Slower, but one lucky test part cannot decide."))
    WINDOWS = {"expanding": N_("expanding"), "sliding": N_("sliding")}
    b1, b2, b3, b4 = st.columns(4)
    origins = b1.number_input(_("Origins"), 1, 20, 3, key="backtest_origins")
    stride = b2.number_input(_("Stride (steps)"), 1, max(1, len(evaluation.train)), max(1, run.test_size), key="backtest_stride")
    window = b3.selectbox(_("Training window"), list(WINDOWS), format_func=lambda w: _(WINDOWS[w]), key=scoped("backtest_window"),
                          index=start("backtest_window", list(WINDOWS)))
    slow = [_(s.label) for s in run.specs if s.key in ok and REGISTRY[s.key].slow]
    include_slow = b4.checkbox(_("Include {models} (slow)").format(models=", ".join(slow)), value=False, disabled=not slow,
                               key="backtest_slow")
    if st.button(_("Run backtest"), key="run_backtest"):
        specs = [s for s in run.specs if s.key in ok and (include_slow or not REGISTRY[s.key].slow)]
        bar = st.progress(0.0, text=_("Backtest"))
        clean = run.dataset.clean
        try:
            rows = backtest(clean.y, specs, run.test_size, origins=int(origins), stride=int(stride), season=run.season, window=window,
                            level=run.level, covariates=clean.covariates, season_options=clean.season_options, log=clean.log,
                            on_progress=lambda f, m: bar.progress(f, text=tr(m)))
            st.session_state["backtest_rows"] = rows
        except DataError as error:
            show_error(error)
    rows = st.session_state.get("backtest_rows")
    if rows is not None and not rows.empty:
        st.dataframe(for_reader(backtest_summary(rows)), hide_index=True, width="stretch")
        if "MASE" in rows:
            st.plotly_chart(charts.backtest_chart(rows, "MASE", colors), width="stretch", key="backtest_chart")
        st.download_button(_("Download backtest (CSV)"), safe_csv(rows), "backtest.csv", "text/csv", key="dl_backtest")
with tab4:
    st.caption(_("Forecast {steps} steps past the end: the batch's own network reads the series' last window.").format(steps=number(run.horizon))
               if run.batch_series else
               _("Forecast {steps} steps past the end: every model refitted on all {points} points.").format(
                   steps=number(run.horizon), points=number(len(run.dataset.clean.y))))
    if st.button(_("Forecast the future"), key="forecast_future"):
        bar = st.progress(0.0, text=_("Refitting"))
        run.future, failed = forecast_future(run, on_progress=lambda f, m: bar.progress(f, text=tr(m)))
        for key, error in failed.items():
            st.warning(f"{plain(_(label(key)))}: {plain(tr(error))}")
    if run.future:
        full = np.exp(run.dataset.clean.y) if run.dataset.clean.log else run.dataset.clean.y
        st.plotly_chart(charts.forecast_chart(full.iloc[-10 * max(run.season, 12):], None, list(run.future.values()), set(show),
                                              _("Forecast past the end of the data"), colors), width="stretch", key="future_chart")
        st.download_button(_("Download future forecasts (CSV)"), safe_csv(future_frame(run.future)), "future_forecasts.csv", "text/csv",
                           key="dl_future")

st.subheader(_("Downloads"))
d1, d2, d3 = st.columns(3)
d1.download_button(_("Forecasts of the test part (CSV)"), safe_csv(evaluation.forecasts_frame()), "forecasts.csv", "text/csv", key="dl_forecasts")
d2.download_button(_("Metrics (CSV)"), safe_csv(board.drop(columns=["key"])), "metrics.csv", "text/csv", key="dl_metrics")
if d3.button(_("Prepare model, bundle and chart files"), key="prepare_files"):
    st.session_state["downloads"] = (run, run_files(run))
prepared = st.session_state.get("downloads")
files = prepared[1] if prepared and prepared[0] is run else None
if files:
    e1, e2, e3 = st.columns(3)
    if files.get("keras"):
        e1.download_button(_("Trained {label} (.keras)").format(label=_(run.evaluation.inspectable().label)), files["keras"], "lstm.keras",
                           "application/octet-stream", key="dl_keras")
    if files.get("bundle"):
        e2.download_button(_("Run bundle (.zip): re-import it on the Runs page"), files["bundle"], "lstm_lens_run.zip", "application/zip", key="dl_bundle")
    else:
        e2.caption(_("A series of a batch has no run bundle: its batch is saved, and reopens, on the Batch page."))
    e3.download_button(_("Charts (standalone HTML, works offline)"), files["charts"], "charts.html", "text/html", key="dl_charts")
next_step("pages/gates.py", _("Next: look inside the LSTM"))
