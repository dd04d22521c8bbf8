"""Charts of a batch: how each model's errors spread over the series, and one series' forecasts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.charts.common import PALETTE, base_layout, esc, model_colors, rgba
from core.i18n import _, tr
from core.charts.forecasts import forecast_chart
from core.models.base import Forecast


def error_distribution_chart(metrics: pd.DataFrame, metric: str = "MASE", order: list[str] | None = None) -> go.Figure:
    """One box per model with every series as a point (hover names it; click it to open the series)."""
    ok = metrics[(metrics["error"] == "") & np.isfinite(metrics[metric].astype(float))]
    order = order or sorted(ok["model"].unique())
    colors = model_colors(order)
    fig = go.Figure()
    rng = np.random.default_rng(0)  # a fixed jitter: the chart looks the same on every rerun
    for i, model in enumerate(order):
        part = ok[ok["model"] == model]
        if part.empty:
            continue
        color = colors.get(model, PALETTE[0])
        fig.add_trace(go.Box(x=np.full(len(part), i), y=part[metric], name=esc(tr(model)), marker_color=color, boxpoints=False,
                             fillcolor=rgba(color, 0.12), line=dict(width=1.5), hoverinfo="skip", showlegend=False, width=0.6))
        fig.add_trace(go.Scatter(
            x=i + rng.uniform(-0.22, 0.22, len(part)), y=part[metric], mode="markers", name=esc(tr(model)), showlegend=False,
            marker=dict(color=color, size=7, opacity=0.75, line=dict(width=0.5, color="white")),
            customdata=part["unique_id"].map(esc).to_numpy(),
            hovertemplate=f"%{{customdata}}<br>{esc(tr(model))}<br>{metric} %{{y:.3f}}<extra></extra>",
        ))
    values = ok[metric].astype(float)
    positive = values[values > 0]
    log = len(positive) == len(values) and len(values) and positive.max() / positive.min() > 30
    base_layout(fig, _("{metric} of every series, by model (each point is one series; click one to open it)").format(metric=metric), height=420)
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(order))), ticktext=[esc(tr(m)) for m in order], range=[-0.6, len(order) - 0.4])
    fig.update_yaxes(title_text=_("{metric} (log scale)").format(metric=metric) if log else metric, type="log" if log else "linear")
    if metric in ("MASE", "OWA"):
        fig.add_hline(y=1, line=dict(color="#94a3b8", dash="dot", width=1))
    fig.update_layout(clickmode="event+select", dragmode=False, hovermode="closest")
    return fig


def series_forecasts(forecasts: pd.DataFrame, sid: str, level: float) -> tuple[pd.Series, list[Forecast]]:
    """The held-out actuals and every model's Forecast of one series, from the batch's long forecast table."""
    part = forecasts[forecasts["unique_id"] == sid]
    out, actual = [], None
    for model, rows in part.groupby("model", sort=False):
        index = pd.DatetimeIndex(rows["date"])
        out.append(Forecast(index, rows["mean"].to_numpy(float), rows["lower"].to_numpy(float), rows["upper"].to_numpy(float),
                            str(model), level))
        actual = pd.Series(rows["actual"].to_numpy(float), index=index)
    return actual, out


def held_out_chart(history: pd.Series, forecasts: pd.DataFrame, sid: str, level: float, show_intervals=(), tail: int | None = None,
                 colors: dict | None = None) -> go.Figure:
    actual, models = series_forecasts(forecasts, sid, level)
    train = history.iloc[: len(history) - len(actual)] if actual is not None else history
    if tail:
        train = train.iloc[-tail:]
    return forecast_chart(train, actual, models, show_intervals=show_intervals,
                          title=_("Series {sid}: the last {count} points held out and forecast").format(sid=esc(sid), count=len(actual)),
                          colors=colors)
