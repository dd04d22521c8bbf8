"""What every chart shares: colours, layout, escaping of user text, thinning long series, offline HTML.

Every user-supplied string (column names, file names) passes through ``esc`` before it
reaches a figure, because Plotly renders a subset of HTML in titles and labels.
"""
from __future__ import annotations

import html
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.i18n import language
from core.i18n.formats import date_axis

# st.plotly_chart draws every figure in Streamlit's theme, which sets colours, fonts and grids over any template. Of
# plotly_white only what shows through that theme is kept: no tick marks, colour bars without an outline. The whole
# plotly_white made the figure twice as long and its first build 0.05 s slower (Plotly validates and copies all of
# it); the offline HTML file, drawn by plain plotly.js, gets it whole.
TEMPLATE = go.layout.Template(layout=dict(xaxis=dict(ticks=""), yaxis=dict(ticks="")),
                              data=dict(heatmap=[dict(type="heatmap", colorbar=dict(outlinewidth=0, ticks=""))]))
EXPORT_TEMPLATE = "plotly_white"
# Plotly's own font list has no Korean glyphs; browsers fall back per glyph, and this names the usual Korean fonts
# first so the offline HTML and the app draw Hangul alike.
FONT = "Open Sans, Noto Sans CJK KR, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, verdana, arial, sans-serif"
HISTORY = "#334155"
ACTUAL = "#0f172a"
PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"]


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: str) -> int:
    """A text's width in Latin characters: Hangul and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    # A long title and the legend (at the top right) would share one line: the legend then gets a line of its own.
    # (A chart without a legend says so before it is laid out: showlegend=False on the layout or on its traces.)
    legend = fig.layout.showlegend is not False and sum(trace.showlegend is not False for trace in fig.data) > 1
    crowded = legend and text_width(html.unescape(title)) > 60
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title, x=0, xanchor="left"),
        height=height,
        margin=dict(l=10, r=10, t=80 if crowded else 50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        hovermode="x unified",
        font=dict(family=FONT),
    )
    return fig


def dated(fig: go.Figure, x) -> go.Figure:
    """Date ticks written in the reader's language on the x axes, when the x values are dates (a series numbered in
    steps keeps plain numbers)."""
    if pd.api.types.is_datetime64_any_dtype(pd.Index(x)):
        fig.update_xaxes(**date_axis(x))
    return fig


# Plotly selects markers, not lines: invisible markers over a line let a click on it pick the date under the pointer
# (st.plotly_chart(on_select=...)), and the line looks as it did.
CLICKABLE_LINE = dict(mode="lines+markers", marker=dict(size=9, opacity=0), selected=dict(marker=dict(opacity=0)),
                      unselected=dict(marker=dict(opacity=0)))


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


def rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def model_colors(labels) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def standalone_html(figures: list, title: str) -> str:
    """One HTML file holding every figure, with plotly.js embedded once, so it opens offline."""
    parts = [go.Figure(fig).update_layout(template=EXPORT_TEMPLATE).to_html(full_html=False, include_plotlyjs=(i == 0))
             for i, fig in enumerate(figures)]
    return (f"<!doctype html><html lang='{language()}'><head><meta charset='utf-8'><title>{esc(title)}</title></head>"
            f"<body style=\"font-family:{FONT}\"><h1>{esc(title)}</h1>{''.join(parts)}</body></html>")
