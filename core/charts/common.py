"""Plotly figure builders: data in, figure out. No Streamlit, no state.

Every user-supplied string (column names, file names) passes through ``esc`` before it
reaches a figure, because Plotly renders a subset of HTML in titles and labels.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TEMPLATE = "plotly_white"
HISTORY = "#334155"
ACTUAL = "#0f172a"
PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"]


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title, x=0, xanchor="left"),
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        hovermode="x unified",
    )
    return fig


def thin(y: pd.Series, max_points: int = 20_000) -> pd.Series:
    """At most ~max_points for drawing: each bucket keeps its minimum and maximum, so spikes stay visible."""
    if len(y) <= max_points:
        return y
    size = int(np.ceil(2 * len(y) / max_points))
    keep = []
    values = y.to_numpy()
    for start in range(0, len(y), size):
        chunk = values[start:start + size]
        if np.isnan(chunk).all():
            keep.append(start)
            continue
        lo, hi = start + int(np.nanargmin(chunk)), start + int(np.nanargmax(chunk))
        keep.extend(sorted({lo, hi}))
    return y.iloc[keep]


def series_chart(y: pd.Series, title: str | None = None) -> go.Figure:
    """The series on a date axis with a range slider and quick zoom buttons."""
    shown = thin(y)
    # Plain Scatter: the range slider does not draw WebGL traces.
    fig = go.Figure(go.Scatter(x=shown.index, y=shown.to_numpy(), mode="lines", name=esc(y.name), line=dict(color=HISTORY, width=1.4)))
    base_layout(fig, esc(title or y.name), height=430)
    fig.update_xaxes(
        rangeslider=dict(visible=True, thickness=0.08),
        rangeselector=dict(buttons=[
            dict(count=1, label="1m", step="month", stepmode="backward"),
            dict(count=1, label="1y", step="year", stepmode="backward"),
            dict(count=5, label="5y", step="year", stepmode="backward"),
            dict(step="all", label="all"),
        ]),
    )
    fig.update_yaxes(title_text=esc(y.name))
    return fig


def decomposition_chart(parts: pd.DataFrame, season: int) -> go.Figure:
    names = ["observed", "trend", "seasonal", "residual"]
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.03, subplot_titles=[n.capitalize() for n in names])
    for row, name in enumerate(names, start=1):
        if name == "residual":
            trace = go.Scattergl(x=parts.index, y=parts[name], mode="markers", marker=dict(size=3, color=PALETTE[1]), name=name)
        else:
            trace = go.Scattergl(x=parts.index, y=parts[name], mode="lines", line=dict(width=1.2, color=PALETTE[0] if row > 1 else HISTORY), name=name)
        fig.add_trace(trace, row=row, col=1)
    base_layout(fig, f"STL decomposition (robust, season = {season})", height=640)
    fig.update_layout(showlegend=False, hovermode="x")
    return fig


def correlation_chart(corr, season: int | None = None) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, subplot_titles=["Autocorrelation (ACF)", "Partial autocorrelation (PACF)"], horizontal_spacing=0.08)
    for col, values in ((1, corr.acf), (2, corr.pacf)):
        lags = corr.lags[1:]
        vals = values[1:]
        colors = [PALETTE[0] if abs(v) > corr.band else "#cbd5e1" for v in vals]
        fig.add_trace(go.Bar(x=lags, y=vals, marker_color=colors, name="ACF" if col == 1 else "PACF",
                             hovertemplate="lag %{x}: %{y:.3f}<extra></extra>"), row=1, col=col)
        for sign in (1, -1):
            fig.add_hline(y=sign * corr.band, line=dict(color="#64748b", dash="dash", width=1), row=1, col=col)
        if season and season < len(corr.lags):
            fig.add_vline(x=season, line=dict(color=PALETTE[2], dash="dot", width=1), row=1, col=col)
    base_layout(fig, "Correlation with the past (blue: outside the dashed 95% white-noise band; dotted: seasonal lag)", height=360)
    fig.update_layout(showlegend=False, hovermode="closest", bargap=0.3)
    fig.update_xaxes(title_text="lag")
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def model_colors(labels) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def forecast_chart(history: pd.Series, actual: pd.Series | None, forecasts: list, show_intervals=(), title: str = "",
                   colors: dict | None = None) -> go.Figure:
    """History, held-out actuals and each model's forecast; interval bands for the models named in show_intervals."""
    colors = colors or model_colors([f.model for f in forecasts])
    fig = go.Figure()
    shown = thin(history)
    fig.add_trace(go.Scatter(x=shown.index, y=shown.to_numpy(), mode="lines", name="history", line=dict(color=HISTORY, width=1.3)))
    if actual is not None and len(actual):
        fig.add_trace(go.Scatter(x=actual.index, y=actual.to_numpy(), mode="lines+markers", name="actual (held out)",
                                 line=dict(color=ACTUAL, width=2), marker=dict(size=4)))
    for f in forecasts:
        color = colors.get(f.model, PALETTE[0])
        if f.model in show_intervals:
            pct = int(round(f.level * 100))
            fig.add_trace(go.Scatter(
                x=np.r_[f.index, f.index[::-1]], y=np.r_[f.upper, f.lower[::-1]], fill="toself",
                fillcolor=_rgba(color, 0.15), line=dict(width=0), hoverinfo="skip", name=f"{esc(f.model)} {pct}%",
                legendgroup=esc(f.model), showlegend=True,
            ))
        fig.add_trace(go.Scatter(x=f.index, y=f.mean, mode="lines", name=esc(f.model), legendgroup=esc(f.model),
                                 line=dict(color=color, width=2, dash="solid")))
    if actual is not None and len(actual):
        fig.add_vline(x=actual.index[0], line=dict(color="#94a3b8", dash="dot", width=1))
    base_layout(fig, esc(title), height=480)
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.01))
    fig.update_xaxes(rangeslider=dict(visible=True, thickness=0.06))
    return fig


def error_by_step_chart(errors: pd.DataFrame, colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors(errors.columns)
    fig = go.Figure()
    for col in errors.columns:
        fig.add_trace(go.Scatter(x=errors.index, y=errors[col], mode="lines+markers", name=esc(col),
                                 line=dict(color=colors.get(col, PALETTE[0])), marker=dict(size=4)))
    base_layout(fig, "Absolute error by forecast step (does accuracy decay with the horizon?)", height=360)
    fig.update_xaxes(title_text="steps ahead")
    fig.update_yaxes(title_text="|actual − forecast|")
    return fig


def residual_chart(actual: pd.Series, forecasts: list, colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors([f.model for f in forecasts])
    fig = go.Figure()
    for f in forecasts:
        residual = actual.to_numpy(dtype=float) - f.mean
        fig.add_trace(go.Scatter(x=f.index, y=residual, mode="lines+markers", name=esc(f.model),
                                 line=dict(color=colors.get(f.model, PALETTE[0]), width=1.2), marker=dict(size=4)))
    fig.add_hline(y=0, line=dict(color="#64748b", width=1))
    base_layout(fig, "Residuals on the test part (actual − forecast; above zero = under-forecast)", height=360)
    return fig


def loss_chart(history: dict, best_epoch: int | None = None) -> go.Figure:
    epochs = np.arange(1, len(history.get("loss", [])) + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=epochs, y=history.get("loss", []), mode="lines", name="training loss", line=dict(color=PALETTE[0])))
    fig.add_trace(go.Scatter(x=epochs, y=history.get("val_loss", []), mode="lines", name="validation loss", line=dict(color=PALETTE[1])))
    if best_epoch:
        fig.add_vline(x=best_epoch, line=dict(color=PALETTE[2], dash="dot"), annotation_text="best (restored)")
    base_layout(fig, "LSTM loss per epoch (mean squared error on scaled data)", height=300)
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(rangemode="tozero")
    return fig


def backtest_chart(rows: pd.DataFrame, metric: str = "MASE", colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors(rows["model"].unique())
    fig = go.Figure()
    for model, part in rows.groupby("model", sort=False):
        fig.add_trace(go.Scatter(x=part["origin"], y=part[metric], mode="lines+markers", name=esc(model),
                                 line=dict(color=colors.get(model, PALETTE[0]))))
    base_layout(fig, f"{metric} at each backtest origin", height=340)
    return fig


def standalone_html(figures: list, title: str) -> str:
    """One HTML file holding every figure, with plotly.js embedded once, so it opens offline."""
    parts = [fig.to_html(full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures)]
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title></head>"
            f"<body style='font-family:sans-serif'><h1>{esc(title)}</h1>{''.join(parts)}</body></html>")
