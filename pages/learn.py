"""Learn: why LSTMs exist and how they work, each point shown on the user's own trained model (English / 한국어)."""
import numpy as np
import pandas as pd
import streamlit as st

from core.charts import gates as gc
from core.lens import gates
from core.lens import probes as lens
from core.charts import learn as lc
from core.models.base import future_index
from ui.learn_text import TEXT
from ui.state import current_run, plain

lang = st.radio("Language / 언어", ["en", "ko"], format_func={"en": "English", "ko": "한국어"}.get, horizontal=True, key="lang")
T = TEXT[lang]
st.title(T["title"])


@st.cache_resource(show_spinner="Training a small LSTM on the airline sample…")
def demo():
    from core.data import detect_columns, read_table, to_series
    from core.models.lstm import LSTMForecaster
    from core.data.samples import get_sample

    sample = get_sample("airline")
    frame = read_table(sample.read_bytes(), sample.file)
    guess = detect_columns(frame)
    clean = to_series(frame, date=guess.date, target=guess.target)
    model = LSTMForecaster(horizon=12, season=12, units=16, epochs=60, patience=10).fit(clean.y.iloc[:-12])
    return model, clean.y, None


run = current_run()
lstm = run.evaluation.results.get("lstm") if run else None
if lstm is not None and lstm.error is None:
    model, series, covariates = lstm.model, run.dataset.clean.y, run.dataset.clean.covariates
    end = len(run.evaluation.train) - 1
    st.info(T["using_yours"].format(name=plain(run.dataset.name)))
else:
    model, series, covariates = demo()
    end = len(series) - 13
    st.info(T["using_demo"])

window = lens.window_at(model, series, covariates, end)
trace = lens.trace_window(model, window)[-1]
order = gates.unit_order(trace, by="hidden", how="variance")
top = [int(u) for u in order[:min(6, len(order))]]
fdates = future_index(series.iloc[:end + 1], model.horizon)

st.header(T["why_title"])
st.markdown(T["why_body"])
st.plotly_chart(lc.retention_chart(lens.retention(trace, top), top, T["steps_back"], T["share_kept"]), width="stretch", key="learn_retention")
st.caption(T["why_chart"])

st.header(T["cell_title"])
st.markdown(T["cell_body"])
st.latex(gates.EQUATIONS["cell"])
st.plotly_chart(lc.lines_chart(window.dates, trace.cell[0][:, top], top, "C_t"), width="stretch", key="learn_cell")

st.header(T["gates_title"])
for quantity in ("forget", "input", "candidate", "output"):
    left, right = st.columns([2, 3], vertical_alignment="center")
    left.markdown(T[f"gate_{quantity}"])
    right.latex(gates.EQUATIONS[quantity])
a, b = st.columns(2)
a.plotly_chart(gc.heatmap(trace.forget[0][:, top], window.dates, "forget", top), width="stretch", key="learn_forget")
b.plotly_chart(gc.heatmap(trace.input[0][:, top], window.dates, "input", top), width="stretch", key="learn_input")
st.caption(T["gates_chart"])
st.latex(gates.EQUATIONS["hidden"])

st.header(T["ts_title"])
st.subheader(T["nonlinear_title"])
st.markdown(T["nonlinear_body"])
spread = float(np.std(series.to_numpy())) or 1.0
sizes = np.linspace(-3, 3, 13)
response = np.array([lens.forecast_from(model, lens.edited(window, lens.add_spike(window.values, len(window.values) - 1, s * spread))).mean() for s in sizes])
st.plotly_chart(lc.response_chart(sizes, response, T["spike"], T["mean_forecast"]), width="stretch", key="learn_response")

st.subheader(T["lag_title"])
st.markdown(T["lag_body"])
st.plotly_chart(lc.sensitivity_chart(window.dates, lens.sensitivity(model, window), T["forecast_change"]), width="stretch", key="learn_lag")

st.subheader(T["multi_title"])
st.markdown(T["multi_body_cov"] if model.covariate_names_ else T["multi_body_none"])
st.plotly_chart(lc.channel_chart(lens.channel_sensitivity(model, window), T["forecast_change"]), width="stretch", key="learn_channels")

st.subheader(T["noise_title"])
st.markdown(T["noise_body"])
noisy = lens.noisy_forecasts(model, window, 0.1, draws=30)
st.plotly_chart(lc.noise_chart(window.dates, window.values, fdates, lens.forecast_from(model, window), noisy), width="stretch", key="learn_noise")

st.header(T["table_title"])
board = run.evaluation.leaderboard().set_index("key") if run else pd.DataFrame()


def figure(key, column, fmt):
    if key in board.index and board.loc[key, "status"] == "ok":
        return fmt.format(board.loc[key, column])
    return T["table_missing"]


rows = [
    ("Linear regression", "reg", "regression"),
    ("ARIMA", "arima", "arima"),
    ("LSTM", "lstm", "lstm"),
]
table = pd.DataFrame([{
    T["col_model"]: label, T["col_past"]: T[f"{prefix}_past"], T["col_season"]: T[f"{prefix}_season"],
    T["col_intervals"]: T[f"{prefix}_intervals"], T["col_mase"]: figure(key, "MASE", "{:.3f}"),
    T["col_smape"]: figure(key, "sMAPE", "{:.2f}"), T["col_time"]: figure(key, "fit s", "{:.1f}"),
} for label, prefix, key in rows])
st.dataframe(table, hide_index=True, width="stretch")
if run:
    st.caption(T["table_note"].format(n=run.test_size))
