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
    fig.update_xaxes(rangeslider=dict(visible=True, thickness=0.08))
    if isinstance(y.index, pd.DatetimeIndex):
        # top right, clear of the title (a one-line chart draws no legend there)
        fig.update_xaxes(rangeselector=dict(buttons=[*zoom_buttons(y.index), dict(step="all", label=_("all"))],
                                            x=1, xanchor="right", y=1.02, yanchor="bottom"))
    fig.update_yaxes(title_text=esc(y.name))
    return dated(fig, y.index)


# Quick zoom spans, shortest first: (label, count, Plotly step, about how many days).
ZOOMS = ((N_("1h"), 1, "hour", 1 / 24), (N_("1d"), 1, "day", 1.0), (N_("1w"), 7, "day", 7.0), (N_("1m"), 1, "month", 30.4), (N_("6m"), 6, "month", 182.6),
         (N_("1y"), 1, "year", 365.25), (N_("5y"), 5, "year", 1826.0), (N_("10y"), 10, "year", 3652.5))


def zoom_buttons(index: pd.DatetimeIndex, min_steps: int = 8, max_share: float = 0.6, most: int = 4) -> list[dict]:
    """The zoom buttons that suit these dates: each span shows at least ``min_steps`` points and at most ``max_share`` of
    the whole series (a quarterly series gets 5y and 10y, not 1m; an hourly one 1d and 1w), the longest ``most``."""
    if len(index) < 2:
        return []
    days = (index[-1] - index[0]) / pd.Timedelta(days=1)
    step = (index[1:] - index[:-1]).median() / pd.Timedelta(days=1)
    kept = [(label, count, unit) for label, count, unit, span in ZOOMS if min_steps * step <= span <= max_share * days]
    return [dict(count=count, label=_(label), step=unit, stepmode="backward") for label, count, unit in kept[-most:]]


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
    fig.update_layout(showlegend=False)
    base_layout(fig, _("STL decomposition (robust, season = {season})").format(season=season), height=640)
    fig.update_layout(hovermode="x")
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
    fig.update_layout(showlegend=False)
    base_layout(fig, _("Correlation with the past (blue: outside the dashed 95% white-noise band; dotted: seasonal lag)"), height=360)
    fig.update_layout(hovermode="closest", bargap=0.3)
    fig.update_xaxes(title_text=_("lag"))
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig
