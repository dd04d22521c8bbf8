"""Learn: why LSTMs exist and how they work, each point shown on the user's own trained model (English / 한국어)."""
import numpy as np
import pandas as pd
import streamlit as st

from core.charts import gates as gc
from core.charts import learn as lc
from core.evaluation.explain import lstm_loss_reasons
from core.lens import gates
from core.lens import probes as lens
from core.models import ARIMA, GRU, LSTM, REGISTRY, REGRESSION
from core.models.base import future_index
from core.models.windows import channel_names
from core.training import example_run
from core.i18n import _, tr
from ui.learn_text import T
from ui.state import current_run, plain
from ui.entry import through_app

through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(T("title"))
st.caption(_("Language: choose English or 한국어 in the sidebar; every page follows it."))


@st.cache_resource(show_spinner=False)
def _demo():
    return example_run()


def demo():
    with st.spinner(_("Training a small LSTM on the airline sample…")):
        return _demo()


def lstm_result(evaluation):
    """The run's network with an LSTM cell (the lessons below are the LSTM's), or None."""
    return next((r for r in evaluation.inspectables().values() if getattr(r.model, "cell", "LSTM") == "LSTM"), None)


run = current_run()
looked_inside = lstm_result(run.evaluation) if run else None
if looked_inside is not None:
    st.info(T("using_yours").format(name=plain(tr(run.dataset.name))))
    shown = run
else:
    shown = demo()
    looked_inside = lstm_result(shown.evaluation)
    st.info(T("using_demo"))
model, series, covariates = looked_inside.model, shown.dataset.clean.y, shown.dataset.clean.covariates
end = len(shown.evaluation.train) - 1

window = lens.window_at(model, series, covariates, end)
trace = lens.trace_window(model, window)[-1]
order = gates.unit_order(trace, by="hidden", how="variance")
top = [int(u) for u in order[:min(6, len(order))]]
fdates = future_index(series.iloc[:end + 1], model.horizon)

st.header(T("why_title"))
st.markdown(T("why_body"))
st.plotly_chart(lc.retention_chart(lens.retention(trace, top), top, T("steps_back"), T("share_kept")), width="stretch", key="learn_retention")
st.caption(T("why_chart"))

st.header(T("cell_title"))
st.markdown(T("cell_body"))
st.latex(gates.EQUATIONS["cell"])
st.plotly_chart(lc.lines_chart(window.dates, trace.cell[0][:, top], top, "C_t"), width="stretch", key="learn_cell")

st.header(T("gates_title"))
for quantity in ("forget", "input", "candidate", "output"):
    left, right = st.columns([2, 3], vertical_alignment="center")
    left.markdown(T(f"gate_{quantity}"))
    right.latex(gates.EQUATIONS[quantity])
a, b = st.columns(2)
a.plotly_chart(gc.heatmap(trace.forget[0][:, top], window.dates, "forget", top), width="stretch", key="learn_forget")
b.plotly_chart(gc.heatmap(trace.input[0][:, top], window.dates, "input", top), width="stretch", key="learn_input")
st.caption(T("gates_chart"))
st.latex(gates.EQUATIONS["hidden"])

st.header(T("ts_title"))
st.subheader(T("nonlinear_title"))
st.markdown(T("nonlinear_body"))
spread = float(np.std(series.to_numpy())) or 1.0
sizes = np.linspace(-3, 3, 13)
response = lens.forecasts_from(model, window, [lens.add_spike(window.values, len(window.values) - 1, s * spread) for s in sizes]).mean(axis=1)
st.plotly_chart(lc.response_chart(sizes, response, T("spike"), T("mean_forecast")), width="stretch", key="learn_response")

st.subheader(T("lag_title"))
st.markdown(T("lag_body"))
st.plotly_chart(lc.sensitivity_chart(window.dates, lens.sensitivity(model, window), T("forecast_change")), width="stretch", key="learn_lag")

st.subheader(T("multi_title"))
if model.covariate_names_:
    st.markdown(T("multi_body_cov"))
else:
    inputs = [tr(name) for name in channel_names([], model.scaling_)]
    st.markdown(T("multi_body_none").format(channels=", ".join(inputs)))
st.plotly_chart(lc.channel_chart(lens.channel_sensitivity(model, window), T("forecast_change")), width="stretch", key="learn_channels")

st.subheader(T("noise_title"))
st.markdown(T("noise_body"))
noisy = lens.noisy_forecasts(model, window, 0.1, draws=30)
st.plotly_chart(lc.noise_chart(window.dates, window.values, fdates, lens.forecast_from(model, window), noisy), width="stretch", key="learn_noise")

st.header(T("table_title"))
board = run.evaluation.leaderboard().set_index("key") if run else pd.DataFrame()


def figure(key, column, fmt):
    if key in board.index and board.loc[key, "status"] == "ok":
        return fmt.format(board.loc[key, column])
    return T("table_missing")


table = pd.DataFrame([{
    T("col_model"): _(REGISTRY[key].label), T("col_past"): T(f"{key}_past"), T("col_season"): T(f"{key}_season"),
    T("col_intervals"): T(f"{key}_intervals"), T("col_mase"): figure(key, "MASE", "{:.3f}"),
    T("col_smape"): figure(key, "sMAPE", "{:.2f}"), T("col_time"): figure(key, "fit s", "{:.1f}"),
} for key in (REGRESSION, ARIMA, LSTM)])
st.table(table, hide_index=True, border="horizontal")  # static: its sentences wrap instead of being cut off
if run:
    st.caption(T("table_note").format(n=run.test_size))
    for reason in lstm_loss_reasons(run.evaluation):
        st.caption(plain(tr(reason)))

st.header(T("gru_title"))
st.markdown(T("gru_body"))
compared = run.evaluation.inspectables() if run else {}
if LSTM in compared and GRU in compared:
    from core.models.lstm import parameter_count

    clean = run.dataset.clean
    lives = {}
    for key in (LSTM, GRU):
        cached = st.session_state.setdefault("learn_half_lives", {})
        model_here = compared[key].model
        if id(model_here) not in cached:
            __, history = lens.history_trace(model_here, clean.y, clean.covariates)
            cached[id(model_here)] = gates.half_life(history[-1].memory_gate[:, 0, :].mean(axis=0))
        lives[key] = cached[id(model_here)]
    st.dataframe(pd.DataFrame([{
        T("col_model"): _(REGISTRY[key].label), T("col_mase"): figure(key, "MASE", "{:.3f}"), T("col_smape"): figure(key, "sMAPE", "{:.2f}"),
        T("col_time"): figure(key, "fit s", "{:.1f}"), T("col_params"): f"{parameter_count(compared[key].model):,}",
        T("col_half"): f"{np.median(lives[key]):.1f}", T("col_longest"): f"{lives[key].max():.1f}",
    } for key in (LSTM, GRU)]), hide_index=True, width="stretch")
    st.plotly_chart(lc.half_life_comparison({_(REGISTRY[k].label): v for k, v in lives.items()}, T("half_axis")), width="stretch",
                    key="learn_half_lives")
    st.caption(T("gru_note"))
else:
    st.info(T("gru_missing"))
