"""Data page: choose a sample or upload a file, map its columns, clean it, explore it."""
import streamlit as st

from core.charts import data as charts
from core.data import explore
from core.data.dates import describe_frequency
from core.data import to_series
from core.errors import DataError
from core.data.samples import SAMPLES, get_sample
from core.i18n import N_, _, tr
from core.i18n.formats import number
from ui.cleaning_options import cleaning_options, decimal_mark
from ui.language import lasting_expander, lasting_tabs, scoped, start
from ui.tables_io import load_table, read_cached
from core.runs.records import content_hash
from ui.state import DATASET, Dataset, current_dataset, current_run, new_click, next_step, open_inside_at, plain, show_error
from ui.entry import through_app


@st.cache_data(show_spinner=False, max_entries=32)
def clean(data: bytes, filename: str, settings: dict, decimal: str | None = None):
    frame, __ = read_cached(data, filename, decimal)  # the decimal mark chosen under Cleaning options, as the preview read it
    return to_series(frame, **settings)


@st.cache_data(max_entries=32)
def explore_series(y, season: int):
    return explore.summary(y), explore.decompose(y, season), explore.correlations(y, max(40, 2 * season + 4))


def stop_keeping_earlier(error) -> None:
    """Say what is wrong, reassure that the earlier series is still loaded, and stop this run."""
    show_error(error)
    kept = current_dataset()
    if kept is not None:
        st.info(_("Your earlier series **{name}** is still loaded on the other pages.").format(name=plain(tr(kept.name))))
    st.stop()


through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Data"))
st.caption(_("Pick a real sample or upload your own series. Every cleaning step is listed below the chart."))

SOURCES = {"Sample": N_("Sample"), "Upload a file": N_("Upload a file")}
left, right = st.columns([1, 3])
source = left.radio(_("Source"), list(SOURCES), format_func=lambda s: _(SOURCES[s]), key=scoped("data_source"),
                    index=start("data_source", list(SOURCES)))
if source == "Sample":
    keys = [s.key for s in SAMPLES]
    key = right.selectbox(_("Sample"), keys, format_func=lambda k: _(get_sample(k).title), key=scoped("sample_key"),
                          index=start("sample_key", keys))
    sample = get_sample(key)
    right.caption(_(sample.about) + " " + _("Source and licence: sample_data/README.md."))
    data, filename = sample.read_bytes(), sample.file
else:
    upload = right.file_uploader(
        _("CSV, TSV, TXT, Excel (.xlsx) or Parquet; one or more number columns, with a date column if there is one"),
        type=["csv", "tsv", "txt", "xlsx", "parquet"], key="upload",
    )
    if upload is None:
        kept = current_dataset()
        if kept is not None:
            st.info(_("Still working with **{name}**. Upload a file to replace it.").format(name=plain(tr(kept.name))))
        st.stop()
    data, filename = upload.getvalue(), upload.name

decimal = decimal_mark()  # its widget sits under Cleaning options, below the preview that reads with it
try:
    frame, guess = load_table(data, filename, None if decimal == "auto" else decimal)
except DataError as error:
    stop_keeping_earlier(error)

for note in frame.attrs.get("read_notes", []):
    st.caption(f"ℹ️ {plain(tr(note))}")
preview = st.container()  # filled after the series chart (its table's browser code then loads after the chart is drawn)


def show_preview(expanded: bool = False) -> None:
    """The file's first rows, drawn only while the reader has the preview open: a table's browser code then loads
    when asked for, not before the page's chart (as the explorations below)."""
    box = lasting_expander(preview, _("Preview: {rows} rows × {columns} columns").format(rows=number(len(frame)), columns=frame.shape[1]),
                           "preview_open", expanded)
    if box.open:
        box.dataframe(frame.head(200), width="stretch")


columns = list(frame.columns)
digest = content_hash(data)
mapped = digest[:12]  # the column choices belong to this file: a new file starts from its own detected columns
c1, c2, c3, c4 = st.columns(4)
date_options = [None, *columns]  # None: no dates, the rows numbered 1, 2, 3, … in file order
date_col = c1.selectbox(_("Date column"), date_options, key=scoped(f"date_column_{mapped}"),
                        index=start(f"date_column_{mapped}", date_options, date_options.index(guess.date) if guess.date in columns else 0),
                        format_func=lambda c: _("(none: steps 1, 2, 3 …)") if c is None else c,
                        help=_("The column with timestamps. Detected automatically; change it if the guess is wrong. "
                               "Without one, the rows are read in file order as numbered steps."))
value_options = [c for c in columns if c != date_col] or columns
default_target = guess.target if guess.target in value_options else value_options[0]
target = c2.selectbox(_("Value to forecast"), value_options, index=value_options.index(default_target), key=f"target_column_{mapped}",
                      help=_("The number column the models learn to forecast."))
ONE_SERIES = None  # the file holds one series: no id column
id_options = [ONE_SERIES] + [c for c in columns if c not in (date_col, target)]
id_col = c3.selectbox(_("Series id (long format)"), id_options, key=scoped(f"id_column_{mapped}"),
                      index=start(f"id_column_{mapped}", id_options, id_options.index(guess.id) if guess.id in id_options else 0),
                      format_func=lambda c: _("(one series)") if c is ONE_SERIES else c,
                      help=_("For files holding several series in long format (unique_id, ds, y): the column naming each series."))
series_id = None
if id_col:
    ids = sorted(frame[id_col].astype(str).unique())
    series_id = c3.selectbox(_("Which series ({count} in the file)").format(count=number(len(ids))), ids, key=f"series_pick_{mapped}")
covariate_options = [c for c in guess.numeric if c not in (target, date_col, id_col)]
covariates = []  # one number column: nothing to pick (a disabled, empty picker also made the first chart wait for its code)
if covariate_options:
    covariates = c4.multiselect(_("Covariates (extra inputs for the LSTM)"), covariate_options, placeholder=_("Choose columns"),
                                key=f"covariate_columns_{mapped}", default=covariate_options if len(covariate_options) <= 6 else [],
                                help=_("Other number columns measured at the same times. Only the LSTM uses them; baselines ignore them."))
else:
    c4.caption(_("Covariates: none. Other number columns measured at the same times would be extra inputs for the LSTM."))

options = cleaning_options()
settings = dict(date=date_col, target=target, id_column=id_col, series_id=series_id, covariates=tuple(covariates),
                duplicates=options["duplicates"], freq=options["freq"].strip() or None, resample=options["resample"],
                fill=options["fill"], log=options["log"])
try:
    with st.spinner(_("Cleaning…")):
        cleaned = clean(data, filename, settings, None if decimal == "auto" else decimal)
except DataError as error:
    show_preview(expanded=True)  # what the file holds helps to mend the mapping
    stop_keeping_earlier(error)

name = filename if not series_id else f"{filename} · {series_id}"
previous = current_dataset()
if previous is None or previous.digest != digest or previous.settings != settings:
    st.session_state[DATASET] = Dataset(name=name, digest=digest, clean=cleaned, settings=settings)

y = cleaned.y
charted = y.rename(f"log({target})") if cleaned.log else y  # the values the models learn, named as what they are
picked = new_click(st.plotly_chart(charts.series_chart(charted, f"{name}: {charted.name}"), width="stretch", key="series_chart",
                                   on_select="rerun", selection_mode="points"), "series_chart")
show_preview()
trained = current_run()
can_look = (trained is not None and trained.dataset.digest == digest and trained.dataset.settings == settings
            and trained.evaluation.inspectables())
if picked is not None:
    if can_look:
        open_inside_at(picked, N_("Data page's series chart"))
    st.info(_("To look inside the LSTM at a date, train it on this series first (**Train**); then a click here opens the "
              "window ending on the date you click."))
st.caption(_("Click a date on the chart to look inside the LSTM at the window ending on it.") if can_look else
           _("After training the LSTM on this series, a click on a date here opens Inside the LSTM at that window."))

m1, m2, m3, m4 = st.columns(4)
m1.metric(_("Points"), number(len(y)))
m2.metric(_("Frequency"), tr(describe_frequency(cleaned.freq)), help=_("pandas alias: {alias}").format(alias=cleaned.freq))
m3.metric(_("Suggested season"), cleaned.season,
          help=_("Candidates for this frequency: {seasons}. Picked by autocorrelation.").format(seasons=", ".join(map(str, cleaned.season_options))))
m4.metric(_("Covariates"), len(covariates))

st.subheader(_("Cleaning report"))
with st.container(border=True):
    for line in cleaned.report:
        st.markdown(f"- {plain(tr(line))}")

explore_box = lasting_expander(st, _("Explore the series: decomposition, autocorrelation, summary"), "explore_open")
if explore_box.open:  # drawn when opened: three more charts would make the page's first chart wait (BENCHMARKS.md)
    with explore_box:
        season_choices = sorted(set(cleaned.season_options) | {cleaned.season})
        season = st.radio(_("Season for the charts below"), season_choices, index=season_choices.index(cleaned.season),
                          horizontal=True, key="chart_season",
                          help=_("Seasonal period in steps: the decomposition and the dotted lag use it."))
        stats, parts, corr = explore_series(y, int(season))
        tab1, tab2, tab3 = lasting_tabs(st, [_("Decomposition"), _("Autocorrelation"), _("Summary")], "explore_tab")
        if tab1.open:
            if parts is None:
                tab1.info(_("STL needs at least two full seasons ({needed} points) and no gaps; this series has {points} "
                            "points.").format(needed=number(2 * season + 1), points=number(len(y))))
            else:
                tab1.plotly_chart(charts.decomposition_chart(parts, int(season)), width="stretch", key="stl_chart")
        if tab2.open:
            tab2.plotly_chart(charts.correlation_chart(corr, int(season)), width="stretch", key="acf_chart")
        if tab3.open:
            shown = stats.assign(statistic=stats["statistic"].map(_))
            tab3.dataframe(shown.rename(columns={"statistic": _("statistic"), "value": _("value")}), hide_index=True,
                           width="content", column_config={_("value"): st.column_config.Column(width="medium")})  # dates whole
next_step("pages/train.py", _("Next: train models on this series"))
