"""Charts of forecasts: every model against the actuals, errors by step, residuals, losses, backtests."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.charts.common import ACTUAL, CLICKABLE_LINE, HISTORY, PALETTE, base_layout, dated, esc, model_colors, rgba, thin
from core.i18n import _, tr


def forecast_chart(history: pd.Series, actual: pd.Series | None, forecasts: list, show_intervals=(), title: str = "",
                   colors: dict | None = None) -> go.Figure:
    """History, held-out actuals and each model's forecast; interval bands for the models named in show_intervals."""
    colors = colors or model_colors([f.model for f in forecasts])
    fig = go.Figure()
    shown = thin(history)
    fig.add_trace(go.Scatter(x=shown.index, y=shown.to_numpy(), name=_("history"), line=dict(color=HISTORY, width=1.3), **CLICKABLE_LINE))
    if actual is not None and len(actual):
        fig.add_trace(go.Scatter(x=actual.index, y=actual.to_numpy(), mode="lines+markers", name=_("actual (held out)"),
                                 line=dict(color=ACTUAL, width=2), marker=dict(size=4)))
    for f in forecasts:
        color = colors.get(f.model, PALETTE[0])
        if f.model in show_intervals:
            pct = int(round(f.level * 100))
            fig.add_trace(go.Scatter(
                x=np.r_[f.index, f.index[::-1]], y=np.r_[f.upper, f.lower[::-1]], fill="toself",
                fillcolor=rgba(color, 0.15), line=dict(width=0), hoverinfo="skip", name=f"{esc(tr(f.model))} {pct}%",
                legendgroup=esc(f.model), showlegend=True,
            ))
        fig.add_trace(go.Scatter(x=f.index, y=f.mean, mode="lines", name=esc(tr(f.model)), legendgroup=esc(f.model),
                                 line=dict(color=color, width=2, dash="solid")))
    if actual is not None and len(actual):
        fig.add_vline(x=actual.index[0], line=dict(color="#94a3b8", dash="dot", width=1))
    base_layout(fig, esc(title), height=480)
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.01))
    fig.update_xaxes(rangeslider=dict(visible=True, thickness=0.06))
    return dated(fig, history.index)


def error_by_step_chart(errors: pd.DataFrame, colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors(errors.columns)
    fig = go.Figure()
    for col in errors.columns:
        fig.add_trace(go.Scatter(x=errors.index, y=errors[col], mode="lines+markers", name=esc(tr(col)),
                                 line=dict(color=colors.get(col, PALETTE[0])), marker=dict(size=4)))
    base_layout(fig, _("Absolute error by forecast step (does accuracy decay with the horizon?)"), height=360)
    fig.update_xaxes(title_text=_("steps ahead"))
    fig.update_yaxes(title_text=_("|actual − forecast|"))
    return fig


def residual_chart(actual: pd.Series, forecasts: list, colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors([f.model for f in forecasts])
    fig = go.Figure()
    for f in forecasts:
        residual = actual.to_numpy(dtype=float) - f.mean
        fig.add_trace(go.Scatter(x=f.index, y=residual, mode="lines+markers", name=esc(tr(f.model)),
                                 line=dict(color=colors.get(f.model, PALETTE[0]), width=1.2), marker=dict(size=4)))
    fig.add_hline(y=0, line=dict(color="#64748b", width=1))
    base_layout(fig, _("Residuals on the test part (actual − forecast; above zero = under-forecast)"), height=360)
    return dated(fig, actual.index)


def loss_chart(history: dict, best_epoch: int | None = None) -> go.Figure:
    epochs = np.arange(1, len(history.get("loss", [])) + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=epochs, y=history.get("loss", []), mode="lines", name=_("training loss"), line=dict(color=PALETTE[0])))
    fig.add_trace(go.Scatter(x=epochs, y=history.get("val_loss", []), mode="lines", name=_("validation loss"), line=dict(color=PALETTE[1])))
    if best_epoch:
        fig.add_vline(x=best_epoch, line=dict(color=PALETTE[2], dash="dot"), annotation_text=_("best (restored)"))
    base_layout(fig, _("LSTM loss per epoch (mean squared error on scaled data)"), height=300)
    fig.update_xaxes(title_text=_("epoch"))
    fig.update_yaxes(rangemode="tozero")
    return fig


def backtest_chart(rows: pd.DataFrame, metric: str = "MASE", colors: dict | None = None) -> go.Figure:
    colors = colors or model_colors(rows["model"].unique())
    fig = go.Figure()
    for model, part in rows.groupby("model", sort=False):
        fig.add_trace(go.Scatter(x=part["origin"], y=part[metric], mode="lines+markers", name=esc(tr(model)),
                                 line=dict(color=colors.get(model, PALETTE[0]))))
    base_layout(fig, _("{metric} at each backtest origin").format(metric=metric), height=340)
    return dated(fig, rows["origin"])
