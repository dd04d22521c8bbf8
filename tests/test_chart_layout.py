"""A chart's title and its legend never share a line: a long title moves the legend onto a line of its own."""
import plotly.graph_objects as go

from core.charts.common import base_layout, text_width


def two_traces(**layout) -> go.Figure:
    fig = go.Figure([go.Scatter(y=[1, 2], name="a"), go.Scatter(y=[2, 1], name="b")])
    fig.update_layout(**layout)
    return fig


LONG = "What-if on passengers: the edited input and the forecast it leads to"


def test_a_long_title_gives_the_legend_its_own_line():
    assert base_layout(two_traces(), "Forecasts of the held-out part").layout.margin.t == 50
    assert base_layout(two_traces(), LONG).layout.margin.t == 80


def test_no_legend_no_extra_line():
    assert base_layout(two_traces(showlegend=False), LONG).layout.margin.t == 50
    hidden = go.Figure([go.Scatter(y=[1], showlegend=False), go.Scatter(y=[2], showlegend=False)])
    assert base_layout(hidden, LONG).layout.margin.t == 50
    assert base_layout(go.Figure([go.Scatter(y=[1])]), LONG).layout.margin.t == 50  # one trace: Plotly draws no legend


def test_hangul_counts_as_wide():
    assert text_width("LSTM") == 4 and text_width("입력 게이트") == 11
    korean = "가정 분석: 바꾼 입력 윈도와 그에 따른 예측 (passengers), 원래 것과 나란히"
    assert base_layout(two_traces(), korean).layout.margin.t == 80


def test_the_offline_file_draws_in_plotly_white_and_the_app_leaves_colours_to_streamlit():
    """In the app, Streamlit's theme paints every chart, so a figure carries only the few template settings that show
    through it; the offline HTML file has no Streamlit around it and gets plotly_white whole (white plot, light grid)."""
    from core.charts.common import standalone_html

    fig = base_layout(two_traces(), "Forecasts")
    assert fig.layout.template.layout.plot_bgcolor is None and fig.layout.template.layout.xaxis.ticks == ""
    page = standalone_html([fig, base_layout(two_traces(), "Errors")], "airline")
    assert page.count('"plot_bgcolor":"white"') == 2 and page.count("Plotly.newPlot") == 2
    assert fig.layout.template.layout.plot_bgcolor is None  # exporting did not change the app's figure
