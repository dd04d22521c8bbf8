"""The Data page's cleaning options: drawn only while their expander is open, so the page's first chart does not wait
for seven more widgets (BENCHMARKS.md, "Data page latency"), with the reader's choices kept in the session while it is
closed, across pages and in either language."""
import streamlit as st

from core.data import DUPLICATE_RULES, FILL_RULES
from core.i18n import N_, _
from ui.language import scoped

KEY = "cleaning_choices"  # the choices themselves, outside any widget: a widget that is not drawn loses its state
DEFAULTS = {"duplicates": DUPLICATE_RULES[0], "resample": DUPLICATE_RULES[0], "fill": FILL_RULES[0], "freq": "",
            "decimal": "auto", "log": False}
DECIMAL_MARKS = {"auto": N_("detect"), ".": N_("point (1,234.5)"), ",": N_("comma (1.234,5)")}
RULES = {"mean": N_("mean"), "sum": N_("sum"), "first": N_("first"), "last": N_("last"),
         "interpolate": N_("interpolate"), "ffill": N_("ffill (repeat the last value)"), "leave": N_("leave")}


def chosen() -> dict:
    """The cleaning choices in force: the defaults with whatever the reader changed."""
    return {**DEFAULTS, **st.session_state.get(KEY, {})}


def _keep(name: str, widget: str) -> None:
    """A widget's change, written to the kept choices before the page reruns (the file is read with the decimal mark
    before the options are drawn)."""
    st.session_state[KEY] = {**chosen(), name: st.session_state[widget]}


def _choice(column, label: str, name: str, options, names: dict, help: str):
    widget = scoped(name)  # a choice widget's state is the text it shows: one key per language
    value = chosen()[name]
    return column.selectbox(label, list(options), index=list(options).index(value), format_func=lambda o: _(names[o]), key=widget,
                            on_change=_keep, args=(name, widget), help=help)


def cleaning_options() -> dict:
    """Draw the options while their expander is open; return the choices in force either way."""
    box = st.expander(_("Cleaning options"), key="cleaning_open", on_change="rerun")
    if not box.open:
        return chosen()
    with box:
        o1, o2, o3, o4 = st.columns(4)
        _choice(o1, _("Duplicate timestamps"), "duplicates", DUPLICATE_RULES, RULES, _("How to combine rows that share a timestamp."))
        _choice(o2, _("Off-grid timestamps"), "resample", DUPLICATE_RULES, RULES,
                _("Aggregation used when timestamps do not sit on one regular grid."))
        _choice(o3, _("Gaps"), "fill", FILL_RULES, RULES,
                _("interpolate: straight line between neighbours; ffill: repeat the last value; leave: keep gaps."))
        o4.text_input(_("Frequency"), chosen()["freq"], placeholder=_("auto"), key="frequency", on_change=_keep, args=("freq", "frequency"),
                      help=_("Leave empty to detect. Otherwise a pandas alias: h, 30min, D, W, MS, QS …"))
        d1, d2 = st.columns([1, 3])
        _choice(d1, _("Decimal mark"), "decimal", DECIMAL_MARKS, DECIMAL_MARKS,
                _("How text files write decimals. Detected per column from numbers that can be read only one way."))
        d2.checkbox(_("Log transform"), chosen()["log"], key="log_transform", on_change=_keep, args=("log", "log_transform"),
                    help=_("Model log(value); useful for growth with seasonality that scales with the level. Needs positive values."))
    return chosen()
