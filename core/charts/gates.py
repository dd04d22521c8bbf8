"""Plotly figures for the gates of an LSTM or GRU: heatmaps on the user's dates, unit lines, half-lives, saturation,
and the attributions of a forecast to its input window."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts.common import HISTORY, PALETTE, base_layout, dated, esc
from core.i18n import N_, _, tr
from core.i18n.formats import when

TITLES = {"input": N_("Input gate i"), "forget": N_("Forget gate f"), "candidate": N_("Candidate C̃"), "cell": N_("Cell state C"),
          "output": N_("Output gate o"), "hidden": N_("Hidden state h"),
          "update": N_("Update gate z"), "reset": N_("Reset gate r"), "hidden_candidate": N_("Candidate h̃")}


def title(quantity: str) -> str:
    """A gate's or state's name in the reader's language."""
    return _(TITLES[quantity])
GATE_LIKE = ("input", "forget", "output", "update", "reset")


def colour_scale(quantity: str, values: np.ndarray) -> dict:
    """Gates live in [0, 1]: sequential. Candidate and hidden in [-1, 1], cell unbounded: diverging around 0."""
    if quantity in GATE_LIKE:
        return dict(colorscale="Viridis", zmin=0.0, zmax=1.0)
    if quantity in ("candidate", "hidden", "hidden_candidate"):
        return dict(colorscale="RdBu_r", zmin=-1.0, zmax=1.0, zmid=0.0)
    bound = float(np.nanmax(np.abs(values))) or 1.0
    return dict(colorscale="RdBu_r", zmin=-bound, zmax=bound, zmid=0.0)


# The window's charts (its input, the attributions, the gate heatmaps) share fixed margins, so their dates line up
# column for column; the bottom one is tall enough for the date ticks (Plotly cannot grow a fixed margin to fit them).
WINDOW_MARGIN = dict(l=70, r=90, t=36, b=30, autoexpand=False)


def unit_labels(units) -> list[str]:
    return [_("unit {unit}").format(unit=u) for u in units]


def short_date(ts) -> str:
    """A date of the window as the reader's locale writes it; a step of a series without dates as "step n"."""
    if isinstance(ts, (int, np.integer)):
        return _("step {step}").format(step=ts)
    return when(pd.Timestamp(ts))


def heatmap(values: np.ndarray, dates, quantity: str, units, height: int = 230, heading: str | None = None,
            x_range=None) -> go.Figure:
    """values (steps, k): one row per unit, one column per date."""
    fig = go.Figure(go.Heatmap(
        z=values.T, x=dates, y=unit_labels(units), **colour_scale(quantity, values),
        colorbar=dict(thickness=10, len=0.9),
        hovertemplate="%{x}<br>%{y}<br>" + title(quantity) + " = %{z:.3f}<extra></extra>",
    ))
    base_layout(fig, heading or title(quantity), height=height)
    fig.update_layout(margin=WINDOW_MARGIN, hovermode="closest")
    # no unit gridlines: the cells are the grid, and across the forecast dates (no inputs there) they were stray lines
    fig.update_yaxes(autorange="reversed", showticklabels=len(units) <= 24, showgrid=False)
    if x_range is not None:
        fig.update_xaxes(range=x_range)
    return dated(fig, dates)


def window_chart(dates, values, name: str, forecast_dates=None, forecast=None, height: int = 230, model: str = "LSTM") -> go.Figure:
    fig = go.Figure(go.Scatter(x=dates, y=values, mode="lines+markers", name=_("input window"), line=dict(color=HISTORY), marker=dict(size=3)))
    if forecast is not None:
        fig.add_trace(go.Scatter(x=forecast_dates, y=forecast, mode="lines", name=_("{model} forecast").format(model=esc(tr(model))),
                                 line=dict(color=PALETTE[4], dash="dash")))
    base_layout(fig, _("Input window: {name}").format(name=esc(name)), height=height)
    fig.update_layout(margin=WINDOW_MARGIN)
    return dated(fig, dates)


def history_chart(series: pd.Series, dates, values: np.ndarray, quantity: str, units) -> go.Figure:
    """The series above, and below it the quantity at the last step of the window ending at each date."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65], vertical_spacing=0.04)
    fig.add_trace(go.Scattergl(x=series.index, y=series.to_numpy(), mode="lines", name=esc(series.name), line=dict(color=HISTORY, width=1)), row=1, col=1)
    fig.add_trace(go.Heatmap(z=values.T, x=dates, y=unit_labels(units), **colour_scale(quantity, values),
                             colorbar=dict(thickness=10, len=0.6, y=0.3),
                             hovertemplate=_("window ending %{x}") + "<br>%{y}<br>" + title(quantity) + " = %{z:.3f}<extra></extra>"),
                  row=2, col=1)
    fig.update_layout(showlegend=False)
    base_layout(fig, _("{quantity} at the last step of the window ending on each date").format(quantity=title(quantity)), height=560)
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(autorange="reversed", showticklabels=len(units) <= 24, showgrid=False, row=2, col=1)
    return dated(fig, series.index)


def unit_lines(dates, values: np.ndarray, units, quantity: str) -> go.Figure:
    fig = go.Figure()
    for j, unit in enumerate(units):
        fig.add_trace(go.Scattergl(x=dates, y=values[:, j], mode="lines", name=_("unit {unit}").format(unit=unit),
                                   line=dict(width=1.2, color=PALETTE[j % len(PALETTE)])))
    base_layout(fig, _("{quantity} of chosen units over time").format(quantity=title(quantity)), height=340)
    return dated(fig, dates)


def half_life_chart(half_lives: np.ndarray, mean_forget: np.ndarray, units, gate: str = "forget") -> go.Figure:
    """Bars of each unit's half-life from the mean of its memory gate (an LSTM's forget gate, a GRU's update gate)."""
    symbol = "f" if gate == "forget" else "z"
    heading = (_("Memory half-life per unit: ln 0.5 / ln f̄ (steps until half of the cell state fades)") if gate == "forget" else
               _("Memory half-life per unit: ln 0.5 / ln z̄ (steps until half of the hidden state fades)"))
    fig = go.Figure(go.Bar(
        x=unit_labels(units), y=half_lives, marker_color=PALETTE[0], customdata=mean_forget,
        hovertemplate="%{x}<br>" + _("mean {symbol} = %{{customdata:.3f}}<br>half-life %{{y:.1f}} steps").format(symbol=symbol)
                      + "<extra></extra>",
    ))
    base_layout(fig, heading, height=340)
    fig.update_yaxes(title_text=_("steps"), type="log")
    fig.update_layout(hovermode="closest")
    return fig


def saturation_chart(samples: dict[str, np.ndarray], shares: dict[str, tuple[float, float]]) -> go.Figure:
    names = list(samples)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[
        title(n) + "<br><sup>" + _("{closed:.0%} near 0 · {open:.0%} near 1").format(closed=shares[n][0], open=shares[n][1]) + "</sup>"
        for n in names])
    for k, name in enumerate(names, start=1):
        fig.add_trace(go.Histogram(x=samples[name], xbins=dict(start=0, end=1, size=0.025), marker_color=PALETTE[k - 1], name=title(name)),
                      row=1, col=k)
        fig.update_xaxes(range=[0, 1], row=1, col=k)
    base_layout(fig, _("How often each gate is fully closed (near 0) or fully open (near 1)"), height=330)
    fig.update_layout(showlegend=False, bargap=0.02, margin=dict(l=10, r=10, t=80, b=10))
    return fig


def whatif_chart(dates, original, changed, forecast_dates, forecast_original, forecast_changed, name: str) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=dates, y=original, mode="lines", name=_("original window"), line=dict(color=HISTORY)))
    fig.add_trace(go.Scatter(x=dates, y=changed, mode="lines", name=_("edited window"), line=dict(color=PALETTE[1], dash="dot")))
    fig.add_trace(go.Scatter(x=forecast_dates, y=forecast_original, mode="lines", name=_("forecast from original"),
                             line=dict(color=PALETTE[0], width=2)))
    fig.add_trace(go.Scatter(x=forecast_dates, y=forecast_changed, mode="lines", name=_("forecast from edited"),
                             line=dict(color=PALETTE[1], width=2)))
    base_layout(fig, _("What-if on {name}: the edited input and the forecast it leads to").format(name=esc(name)), height=380)
    return dated(fig, dates)


def attribution_chart(values: np.ndarray, dates, channels: list[str], title: str, x_range=None, height: int = 200) -> go.Figure:
    """values (steps, channels) in the series' units: one row per input channel on the window's dates, red pushes the
    forecast up, blue down, white around zero; the same x axis as the gate heatmaps below it."""
    bound = float(np.nanmax(np.abs(values))) or 1.0
    full = np.array([[esc(tr(c))] * len(dates) for c in channels])
    fig = go.Figure(go.Heatmap(
        z=values.T, x=dates, y=[short_channel(c) for c in channels], colorscale="RdBu_r", zmin=-bound, zmax=bound, zmid=0.0,
        customdata=full, colorbar=dict(thickness=10, len=0.9),
        hovertemplate="%{x}<br>%{customdata}<br>" + _("attribution %{z:+.4g}") + "<extra></extra>",
    ))
    base_layout(fig, title, height=height + 18 * max(0, len(channels) - 2))
    fig.update_layout(margin=WINDOW_MARGIN, hovermode="closest")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    if x_range is not None:
        fig.update_xaxes(range=x_range)
    return dated(fig, dates)


def short_channel(name: str) -> str:
    """A channel's name short enough for the heatmaps' left margin (the hover shows it whole)."""
    name = {"change since window end": _("change"), "standardised level": _("level"), "change since the step before": _("Δ step"),
            "change since a season before": _("Δ season")}.get(name, name)
    return esc(name if len(name) <= 9 else name[:8] + "…")
