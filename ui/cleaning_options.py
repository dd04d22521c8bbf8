"""The Data page's Cleaning options: duplicate and off-grid timestamps, gaps, frequency, decimal mark, log transform.

Their widgets are drawn only while the reader has the options open. The browser loads each kind of widget's code the
first time one is drawn, and a text box and a checkbox drawn (hidden) in a closed expander made the page's first chart
wait for two more of those loads (BENCHMARKS.md, "Interactive latency"). Streamlit drops a widget's state in a run that
does not draw it, so the choices are kept in a session entry of their own while the options are closed.
"""
import streamlit as st

from core.data import DUPLICATE_RULES, FILL_RULES
from core.i18n import N_, _
from ui.language import carried, lasting_expander, scoped

KEPT = "cleaning_options"
OPEN = "cleaning_open"
DEFAULTS = {"duplicates": DUPLICATE_RULES[0], "resample": DUPLICATE_RULES[0], "fill": FILL_RULES[0], "freq": "",
            "decimal": "auto", "log": False}
DECIMAL_MARKS = {"auto": N_("detect"), ".": N_("point (1,234.5)"), ",": N_("comma (1.234,5)")}
RULES = {"mean": N_("mean"), "sum": N_("sum"), "first": N_("first"), "last": N_("last"),
         "interpolate": N_("interpolate"), "ffill": N_("ffill (repeat the last value)"), "leave": N_("leave")}


def kept() -> dict:
    """The reader's choices so far (the defaults until they change one)."""
    return st.session_state.setdefault(KEPT, dict(DEFAULTS))


def decimal_mark() -> str:
    """The decimal mark the file is read with ("auto", "." or ","): the widget's value in this run while the options are
    open (it is drawn below the preview that reads with it), else the kept choice."""
    return carried("decimal_mark", kept()["decimal"])


def _choice(column, label: str, key: str, options, field: str, names: dict, help: str):
    options = list(options)
    chosen = kept()[field]
    return column.selectbox(label, options, format_func=lambda o: _(names[o]), key=scoped(key), help=help,
                            index=options.index(chosen) if chosen in options else 0)


def cleaning_options() -> dict:
    """Draw the options (their widgets only while open) and return the choices: duplicates, resample, fill, freq,
    decimal, log."""
    box = lasting_expander(st, _("Cleaning options"), OPEN)
    if not box.open:
        return dict(kept())
    with box:
        o1, o2, o3, o4 = st.columns(4)
        duplicates = _choice(o1, _("Duplicate timestamps"), "duplicate_rule", DUPLICATE_RULES, "duplicates", RULES,
                             _("How to combine rows that share a timestamp."))
        resample = _choice(o2, _("Off-grid timestamps"), "resample_rule", DUPLICATE_RULES, "resample", RULES,
                           _("Aggregation used when timestamps do not sit on one regular grid."))
        fill = _choice(o3, _("Gaps"), "fill_rule", FILL_RULES, "fill", RULES,
                       _("interpolate: straight line between neighbours; ffill: repeat the last value; leave: keep gaps."))
        freq = o4.text_input(_("Frequency"), kept()["freq"], placeholder=_("auto"), key="frequency",
                             help=_("Leave empty to detect. Otherwise a pandas alias: h, 30min, D, W, MS, QS …"))
        d1, d2 = st.columns([1, 3])
        decimal = _choice(d1, _("Decimal mark"), "decimal_mark", DECIMAL_MARKS, "decimal", DECIMAL_MARKS,
                          _("How text files write decimals. Detected per column from numbers that can be read only one way."))
        log = d2.checkbox(_("Log transform"), kept()["log"], key="log_transform",
                          help=_("Model log(value); useful for growth with seasonality that scales with the level. Needs positive values."))
    kept().update(duplicates=duplicates, resample=resample, fill=fill, freq=freq, decimal=decimal, log=log)
    return dict(kept())
