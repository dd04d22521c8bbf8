"""Charts of the data before any model: the series, its decomposition, its autocorrelation."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts.common import CLICKABLE_LINE, HISTORY, PALETTE, base_layout, dated, esc, thin
from core.i18n import N_, _


def series_chart(y: pd.Series, title: str | None = None) -> go.Figure:
    """The series on a date axis with a range slider and quick zoom buttons."""
    shown = thin(y)
    # Plain Scatter: the range slider does not draw WebGL traces.
    fig = go.Figure(go.Scatter(x=shown.index, y=shown.to_numpy(), name=esc(y.name), line=dict(color=HISTORY, width=1.4), **CLICKABLE_LINE))
    base_layout(fig, esc(title or y.name), height=430)
    fig.update_xaxes(
        rangeslider=dict(visible=True, thickness=0.08),
        rangeselector=dict(buttons=[
            dict(count=1, label=_("1m"), step="month", stepmode="backward"),
            dict(count=1, label=_("1y"), step="year", stepmode="backward"),
            dict(count=5, label=_("5y"), step="year", stepmode="backward"),
            dict(step="all", label=_("all")),
        ]),
    )
    fig.update_yaxes(title_text=esc(y.name))
    return dated(fig, y.index)


_PARTS = {"observed": N_("Observed"), "trend": N_("Trend"), "seasonal": N_("Seasonal"), "residual": N_("Residual")}


def decomposition_chart(parts: pd.DataFrame, season: int) -> go.Figure:
    names = list(_PARTS)
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.03, subplot_titles=[_(_PARTS[n]) for n in names])
    for row, name in enumerate(names, start=1):
        shown = _(_PARTS[name])
        if name == "residual":
            trace = go.Scattergl(x=parts.index, y=parts[name], mode="markers", marker=dict(size=3, color=PALETTE[1]), name=shown)
        else:
            trace = go.Scattergl(x=parts.index, y=parts[name], mode="lines", line=dict(width=1.2, color=PALETTE[0] if row > 1 else HISTORY),
                                 name=shown)
        fig.add_trace(trace, row=row, col=1)
    base_layout(fig, _("STL decomposition (robust, season = {season})").format(season=season), height=640)
    fig.update_layout(showlegend=False, hovermode="x")
    return dated(fig, parts.index)


def correlation_chart(corr, season: int | None = None) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, subplot_titles=[_("Autocorrelation (ACF)"), _("Partial autocorrelation (PACF)")], horizontal_spacing=0.08)
    for col, values in ((1, corr.acf), (2, corr.pacf)):
        lags = corr.lags[1:]
        vals = values[1:]
        colors = [PALETTE[0] if abs(v) > corr.band else "#cbd5e1" for v in vals]
        fig.add_trace(go.Bar(x=lags, y=vals, marker_color=colors, name="ACF" if col == 1 else "PACF",
                             hovertemplate=_("lag %{x}: %{y:.3f}") + "<extra></extra>"), row=1, col=col)
        for sign in (1, -1):
            fig.add_hline(y=sign * corr.band, line=dict(color="#64748b", dash="dash", width=1), row=1, col=col)
        if season and season < len(corr.lags):
            fig.add_vline(x=season, line=dict(color=PALETTE[2], dash="dot", width=1), row=1, col=col)
    base_layout(fig, _("Correlation with the past (blue: outside the dashed 95% white-noise band; dotted: seasonal lag)"), height=360)
    fig.update_layout(showlegend=False, hovermode="closest", bargap=0.3)
    fig.update_xaxes(title_text=_("lag"))
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig
