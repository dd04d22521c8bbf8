"""Plotly figures for the gates of an LSTM or GRU: heatmaps on the user's dates, unit lines, half-lives, saturation,
and the attributions of a forecast to its input window."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts.common import HISTORY, PALETTE, base_layout, esc

TITLES = {"input": "Input gate i", "forget": "Forget gate f", "candidate": "Candidate C̃", "cell": "Cell state C",
          "output": "Output gate o", "hidden": "Hidden state h",
          "update": "Update gate z", "reset": "Reset gate r", "hidden_candidate": "Candidate h̃"}
GATE_LIKE = ("input", "forget", "output", "update", "reset")


def colour_scale(quantity: str, values: np.ndarray) -> dict:
    """Gates live in [0, 1]: sequential. Candidate and hidden in [-1, 1], cell unbounded: diverging around 0."""
    if quantity in GATE_LIKE:
        return dict(colorscale="Viridis", zmin=0.0, zmax=1.0)
    if quantity in ("candidate", "hidden", "hidden_candidate"):
        return dict(colorscale="RdBu_r", zmin=-1.0, zmax=1.0, zmid=0.0)
    bound = float(np.nanmax(np.abs(values))) or 1.0
    return dict(colorscale="RdBu_r", zmin=-bound, zmax=bound, zmid=0.0)


def unit_labels(units) -> list[str]:
    return [f"unit {u}" for u in units]


def short_date(ts) -> str:
    if isinstance(ts, (int, np.integer)):
        return f"step {ts}"
    ts = pd.Timestamp(ts)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")


def heatmap(values: np.ndarray, dates, quantity: str, units, height: int = 230, title: str | None = None,
            x_range=None) -> go.Figure:
    """values (steps, k): one row per unit, one column per date."""
    fig = go.Figure(go.Heatmap(
        z=values.T, x=dates, y=unit_labels(units), **colour_scale(quantity, values),
        colorbar=dict(thickness=10, len=0.9),
        hovertemplate="%{x}<br>%{y}<br>" + TITLES[quantity] + " = %{z:.3f}<extra></extra>",
    ))
    base_layout(fig, title or TITLES[quantity], height=height)
    fig.update_layout(margin=dict(l=70, r=90, t=36, b=10, autoexpand=False), hovermode="closest")  # fixed: every chart of the window lines up
    fig.update_yaxes(autorange="reversed", showticklabels=len(units) <= 24)
    if x_range is not None:
        fig.update_xaxes(range=x_range)
    return fig


def window_chart(dates, values, name: str, forecast_dates=None, forecast=None, height: int = 230, model: str = "LSTM") -> go.Figure:
    fig = go.Figure(go.Scatter(x=dates, y=values, mode="lines+markers", name="input window", line=dict(color=HISTORY), marker=dict(size=3)))
    if forecast is not None:
        fig.add_trace(go.Scatter(x=forecast_dates, y=forecast, mode="lines", name=f"{esc(model)} forecast", line=dict(color=PALETTE[4], dash="dash")))
    base_layout(fig, f"Input window: {esc(name)}", height=height)
    fig.update_layout(margin=dict(l=70, r=90, t=36, b=10, autoexpand=False))
    return fig


def history_chart(series: pd.Series, dates, values: np.ndarray, quantity: str, units) -> go.Figure:
    """The series above, and below it the quantity at the last step of the window ending at each date."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65], vertical_spacing=0.04)
    fig.add_trace(go.Scattergl(x=series.index, y=series.to_numpy(), mode="lines", name=esc(series.name), line=dict(color=HISTORY, width=1)), row=1, col=1)
    fig.add_trace(go.Heatmap(z=values.T, x=dates, y=unit_labels(units), **colour_scale(quantity, values),
                             colorbar=dict(thickness=10, len=0.6, y=0.3),
                             hovertemplate="window ending %{x}<br>%{y}<br>" + TITLES[quantity] + " = %{z:.3f}<extra></extra>"), row=2, col=1)
    base_layout(fig, f"{TITLES[quantity]} at the last step of the window ending on each date", height=560)
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_yaxes(autorange="reversed", showticklabels=len(units) <= 24, row=2, col=1)
    return fig


def unit_lines(dates, values: np.ndarray, units, quantity: str) -> go.Figure:
    fig = go.Figure()
    for j, unit in enumerate(units):
        fig.add_trace(go.Scattergl(x=dates, y=values[:, j], mode="lines", name=f"unit {unit}", line=dict(width=1.2, color=PALETTE[j % len(PALETTE)])))
    base_layout(fig, f"{TITLES[quantity]} of chosen units over time", height=340)
    return fig


def half_life_chart(half_lives: np.ndarray, mean_forget: np.ndarray, units, gate: str = "forget") -> go.Figure:
    """Bars of each unit's half-life from the mean of its memory gate (an LSTM's forget gate, a GRU's update gate)."""
    symbol = "f" if gate == "forget" else "z"
    memory = "the cell state" if gate == "forget" else "the hidden state"
    fig = go.Figure(go.Bar(
        x=unit_labels(units), y=half_lives, marker_color=PALETTE[0],
        customdata=mean_forget, hovertemplate="%{x}<br>mean " + symbol + " = %{customdata:.3f}<br>half-life %{y:.1f} steps<extra></extra>",
    ))
    base_layout(fig, f"Memory half-life per unit: ln 0.5 / ln {symbol}̄ (steps until half of {memory} fades)", height=340)
    fig.update_yaxes(title_text="steps", type="log")
    fig.update_layout(hovermode="closest")
    return fig


def saturation_chart(samples: dict[str, np.ndarray], shares: dict[str, tuple[float, float]]) -> go.Figure:
    names = list(samples)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[
        f"{TITLES[n]}<br><sup>{shares[n][0]:.0%} near 0 · {shares[n][1]:.0%} near 1</sup>" for n in names])
    for k, name in enumerate(names, start=1):
        fig.add_trace(go.Histogram(x=samples[name], xbins=dict(start=0, end=1, size=0.025), marker_color=PALETTE[k - 1], name=TITLES[name]), row=1, col=k)
        fig.update_xaxes(range=[0, 1], row=1, col=k)
    base_layout(fig, "How often each gate is fully closed (near 0) or fully open (near 1)", height=330)
    fig.update_layout(showlegend=False, bargap=0.02, margin=dict(l=10, r=10, t=80, b=10))
    return fig


def whatif_chart(dates, original, changed, forecast_dates, forecast_original, forecast_changed, name: str) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=dates, y=original, mode="lines", name="original window", line=dict(color=HISTORY)))
    fig.add_trace(go.Scatter(x=dates, y=changed, mode="lines", name="edited window", line=dict(color=PALETTE[1], dash="dot")))
    fig.add_trace(go.Scatter(x=forecast_dates, y=forecast_original, mode="lines", name="forecast from original", line=dict(color=PALETTE[0], width=2)))
    fig.add_trace(go.Scatter(x=forecast_dates, y=forecast_changed, mode="lines", name="forecast from edited", line=dict(color=PALETTE[1], width=2)))
    base_layout(fig, f"What-if on {esc(name)}: the edited input and the forecast it leads to", height=380)
    return fig


def attribution_chart(values: np.ndarray, dates, channels: list[str], title: str, x_range=None, height: int = 200) -> go.Figure:
    """values (steps, channels) in the series' units: one row per input channel on the window's dates, red pushes the
    forecast up, blue down, white around zero; the same x axis as the gate heatmaps below it."""
    bound = float(np.nanmax(np.abs(values))) or 1.0
    full = np.array([[esc(c)] * len(dates) for c in channels])
    fig = go.Figure(go.Heatmap(
        z=values.T, x=dates, y=[short_channel(c) for c in channels], colorscale="RdBu_r", zmin=-bound, zmax=bound, zmid=0.0,
        customdata=full, colorbar=dict(thickness=10, len=0.9),
        hovertemplate="%{x}<br>%{customdata}<br>attribution %{z:+.4g}<extra></extra>",
    ))
    base_layout(fig, title, height=height + 18 * max(0, len(channels) - 2))
    fig.update_layout(margin=dict(l=70, r=90, t=36, b=10, autoexpand=False), hovermode="closest")  # as the gate heatmaps: same x positions
    fig.update_yaxes(autorange="reversed")
    if x_range is not None:
        fig.update_xaxes(range=x_range)
    return fig


def short_channel(name: str) -> str:
    """A channel's name short enough for the heatmaps' left margin (the hover shows it whole)."""
    name = {"change since window end": "change", "standardised level": "level"}.get(name, name)
    return esc(name if len(name) <= 9 else name[:8] + "…")
