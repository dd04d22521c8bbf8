"""Figures for the Learn page: each explains one LSTM idea with numbers from the user's model."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.common import HISTORY, PALETTE, base_layout, dated, esc
from core.i18n import _


def retention_chart(kept: np.ndarray, units, steps_back: str, share_kept: str, rnn_factor: float = 0.6) -> go.Figure:
    k = np.arange(1, kept.shape[0] + 1)
    fig = go.Figure()
    for j, unit in enumerate(units):
        fig.add_trace(go.Scatter(x=k, y=kept[:, j], mode="lines", name=_("unit {unit}").format(unit=unit),
                                 line=dict(width=1.5, color=PALETTE[j % len(PALETTE)])))
    fig.add_trace(go.Scatter(x=k, y=rnn_factor ** k, mode="lines", name=_("plain RNN ({factor}ᵏ)").format(factor=rnn_factor), line=dict(color="#64748b", dash="dash", width=2)))
    base_layout(fig, "", height=330)
    fig.update_xaxes(title_text=steps_back)
    fig.update_yaxes(title_text=share_kept, type="log", range=[-4, 0.05], exponentformat="none")  # 0.0001, not 100µ
    fig.update_layout(margin=dict(t=20))
    return fig


def lines_chart(x, values: np.ndarray, units, y_title: str) -> go.Figure:
    fig = go.Figure()
    for j, unit in enumerate(units):
        fig.add_trace(go.Scatter(x=x, y=values[:, j], mode="lines", name=_("unit {unit}").format(unit=unit),
                                 line=dict(width=1.5, color=PALETTE[j % len(PALETTE)])))
    base_layout(fig, "", height=300)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(margin=dict(t=20))
    return dated(fig, x)


def response_chart(sizes: np.ndarray, response: np.ndarray, x_title: str, y_title: str) -> go.Figure:
    straight = np.polyval(np.polyfit(sizes, response, 1), sizes)
    fig = go.Figure([
        go.Scatter(x=sizes, y=response, mode="lines+markers", name="LSTM", line=dict(color=PALETTE[0], width=2)),
        go.Scatter(x=sizes, y=straight, mode="lines", name=_("straight line"), line=dict(color="#94a3b8", dash="dash")),
    ])
    base_layout(fig, "", height=300)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(margin=dict(t=20))
    return fig


def sensitivity_chart(dates, values: np.ndarray, y_title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=dates, y=values, marker_color=PALETTE[0], hovertemplate="%{x}<br>%{y:.3f}<extra></extra>"))
    base_layout(fig, "", height=300)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(margin=dict(t=20), hovermode="closest")
    return dated(fig, dates)


def channel_chart(effects: dict[str, float], y_title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=[esc(_(k)) for k in effects], y=list(effects.values()), marker_color=PALETTE[2]))
    base_layout(fig, "", height=300)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(margin=dict(t=20), hovermode="closest")
    return fig


def noise_chart(dates, window_values, fdates, clean_forecast, noisy: np.ndarray) -> go.Figure:
    low, high = np.quantile(noisy, [0.05, 0.95], axis=0)
    fig = go.Figure([
        go.Scatter(x=dates, y=window_values, mode="lines", name=_("window"), line=dict(color=HISTORY)),
        go.Scatter(x=np.r_[fdates, fdates[::-1]], y=np.r_[high, low[::-1]], fill="toself", fillcolor="rgba(37,99,235,0.18)",
                   line=dict(width=0), name=_("forecasts from noisy windows (5–95%)"), hoverinfo="skip"),
        go.Scatter(x=fdates, y=clean_forecast, mode="lines", name=_("forecast from the clean window"), line=dict(color=PALETTE[0], width=2)),
    ])
    base_layout(fig, "", height=320)
    fig.update_layout(margin=dict(t=20))
    return dated(fig, dates)


def half_life_comparison(lives: dict[str, np.ndarray], axis_title: str) -> go.Figure:
    """Each network's units as points over a box of their half-lives (log scale): who remembers longer."""
    fig = go.Figure()
    for j, (name, values) in enumerate(lives.items()):
        fig.add_trace(go.Box(y=values, name=esc(name), boxpoints="all", jitter=0.4, pointpos=0, marker=dict(size=5),
                             line=dict(color=PALETTE[j % len(PALETTE)]),
                             hovertemplate=_("%{y:.1f} steps") + "<extra>" + esc(name) + "</extra>"))
    base_layout(fig, "", height=330)
    fig.update_yaxes(title_text=axis_title, type="log")
    fig.update_layout(margin=dict(t=20), showlegend=False)
    return fig
