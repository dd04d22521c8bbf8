"""Inside the LSTM (or the GRU): every gate at every step, on the user's own dates, and which inputs mattered."""
import numpy as np
import pandas as pd
import streamlit as st

from core.charts import gates as gc
from core.lens import attribution, gates
from core.lens import probes as lens
from core.models import LSTM, label
from core.i18n import _, tr
from core.i18n.formats import number
from core.models.base import future_index
from ui.language import carried, scoped, start
from ui.state import INSPECT_AT, next_step, plain, require_run
from ui.entry import through_app

through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Inside the LSTM"))
run = require_run()
found = run.evaluation.inspectables()
if not found:
    st.info(_("This run has no trained {label}. On **Train**, include the {label} model and train again.").format(label=plain(label(LSTM))))
    st.page_link("pages/train.py", label=_("Go to Train"), icon=":material/model_training:")
    st.stop()
network_key = next(iter(found))
if len(found) > 1:
    network_key = st.segmented_control(_("Network"), list(found), default=carried("gate_network", network_key),
                                       format_func=lambda k: tr(found[k].label), key=scoped("gate_network"), help=_("This run trained more than one recurrent network; look inside either.")) or network_key
looked_inside = found[network_key]
model = looked_inside.model
clean = run.dataset.clean
series, covariates = clean.y, clean.covariates
n_train = len(run.evaluation.train)
st.caption(f"**{plain(tr(run.dataset.name))}** · {plain(tr(model.describe()))}"
           + (" · " + _("values on the log scale the model learned") if clean.log else ""))
st.caption(plain(tr(model.output_recipe())))

c0, c1, c2, c3 = st.columns(4)
members = model.members_
member = c0.selectbox(_("Ensemble member"), list(range(members)), index=start("gate_member", list(range(members)), model.median_member_),
                      disabled=members == 1, key=scoped("gate_member"),
                      format_func=lambda m: (_("member {n} (median)") if m == model.median_member_ else _("member {n}")).format(n=m + 1),
                      help=_("The forecast is the median of the members' forecasts; each member is a whole LSTM of its own. "
                             "Shown first: the member whose validation error is the median."))
layers = lens.gate_weights(model, member)
kind = layers[0].cell_kind
layer = c1.selectbox(_("Layer"), list(range(len(layers))), key=scoped(f"gate_layer_{kind.name}"),
                     index=start(f"gate_layer_{kind.name}", list(range(len(layers)))),
                     format_func=lambda k: _("{cell} layer {n} ({units} units)").format(cell=kind.name, n=k + 1, units=layers[k].units),
                     help=_("Stacked models: the first layer reads the inputs; each later layer reads the hidden states of the one before."))
units_here = layers[layer].units
top_k = c2.slider(_("Units shown"), 1, units_here, min(units_here, 32), key="gate_units_shown",
                  help=_("Large layers: the units whose hidden state varies most are shown, so no chart is too large to draw."))
sort_by = c3.selectbox(_("Order units by"), ["variance", "mean", "cluster"], key=scoped("gate_unit_order"),
                       index=start("gate_unit_order", ["variance", "mean", "cluster"]), format_func={
    "variance": _("most active first"), "mean": _("mean of the {gate}").format(gate=gc.title(kind.memory_gate)),
    "cluster": _("similar behaviour (clustered)")}.get)
quantities = kind.quantities
memory_index = quantities.index(kind.memory_gate)

cache = st.session_state.setdefault("gate_cache", {})
key = (id(model), "history", member)
if key not in cache:
    with st.spinner(_("Replaying the LSTM over the whole history…")):
        cache[key] = lens.history_trace(model, series, covariates, member)
history_dates, history = cache[key]
trace_h = history[layer]
order = gates.unit_order(trace_h, by=kind.memory_gate if sort_by == "mean" else "hidden", how={"variance": "variance", "mean": "mean", "cluster": "cluster"}[sort_by])
if sort_by == "cluster":  # the top-k most active units, in clustered order
    active = set(gates.unit_order(trace_h, "hidden", "variance")[:top_k])
    shown_units = [u for u in order if u in active]
else:
    shown_units = order[:top_k]

ends = list(range(model.lookback_ - 1, len(series)))
default_end = n_train - 1
clicked = st.session_state.pop(INSPECT_AT, None)
if clicked is not None:  # a date clicked on the Data, Compare or Batch chart
    end_at, note = lens.window_end_at(series.index, clicked["date"], model.lookback_)
    st.session_state[scoped("gate_end")] = end_at
    st.info(" ".join(part for part in (
        _("Opened from the {chart} at the window ending on {date}.").format(chart=plain(tr(clicked["where"])),
                                                                            date=plain(gc.short_date(series.index[end_at]))),
        plain(tr(note)), _("The slider under **One window** shows where you are.")) if part))
if st.session_state.get(scoped("gate_end")) not in ends:  # a new model, or the other language's slider: start from its window
    kept_end = carried("gate_end", default_end)
    st.session_state[scoped("gate_end")] = kept_end if kept_end in ends else default_end
tab1, tab2, tab3, tab4, tab5 = st.tabs([_("One window"), _("Across the history"), _("Units"), _("Saturation"), _("What-if")])

with tab1:
    end = st.select_slider(_("Window ending on"), options=ends, format_func=lambda k: gc.short_date(series.index[k]), key=scoped("gate_end"),
                           help=_("Each window holds {steps} steps. The default is the window that produced the test forecast. "
                                  "Click a date on the Data, Compare or Batch page's chart to open its window here.").format(steps=model.lookback_))
    window = lens.window_at(model, series, covariates, end)
    traces = lens.trace_window(model, window, member)
    trace = traces[layer]
    forecast = lens.forecast_from(model, window)
    fdates = future_index(series.iloc[:end + 1], len(forecast))
    note_col, chart_col = st.columns([1.6, 4], vertical_alignment="center")
    note_col.caption(_("The network reads these {steps} steps, {first} to {last}, and forecasts the next {horizon} (dashed). "
                       "The charts below share its dates, one column per step.").format(
        steps=model.lookback_, first=gc.short_date(window.dates[0]), last=gc.short_date(window.dates[-1]), horizon=len(forecast)))
    chart_col.plotly_chart(gc.window_chart(window.dates, window.values, str(series.name), fdates, forecast, model=looked_inside.label), width="stretch", key="window_chart")
    step = window.dates[1] - window.dates[0] if len(window.dates) > 1 else pd.Timedelta(0)
    x_range = [window.dates[0] - step / 2, fdates[-1]]

    left, right = st.columns([1.6, 4], vertical_alignment="center")
    baselines = {"mean": _("the window's own mean"), "zeros": _("zeros (model scale)")}
    baseline = left.radio(_("Attribution baseline"), list(attribution.BASELINES), key=scoped("ig_baseline"), format_func=baselines.get,
                          index=start("ig_baseline", list(attribution.BASELINES)),
                          help=_("Integrated gradients explain the forecast relative to the forecast from a baseline window:") + " "
                               + "; ".join(f"{baselines[k]}: {_(v)}" for k, v in attribution.BASELINES.items()) + ".")
    target = left.selectbox(_("Forecast explained"), [-1, *range(len(forecast))], key=scoped("ig_step"),
                            index=start("ig_step", [-1, *range(len(forecast))]),
                            format_func=lambda h: _("mean over the horizon") if h < 0 else
                            _("step {n} ({date})").format(n=h + 1, date=gc.short_date(fdates[h])))
    target = None if target < 0 else target
    ig_key = (id(model), "ig", end, baseline)  # the ensemble's forecast, whichever member the gates show
    if ig_key not in cache:
        with st.spinner(_("Integrating the gradients along the path from the baseline…")):
            cache[ig_key] = attribution.integrated_gradients(model, window, baseline)
    found_ig = cache[ig_key]
    explained = found_ig.of(target)
    moved = found_ig.forecast - found_ig.baseline_forecast
    total = float(moved.mean() if target is None else moved[target])
    right.plotly_chart(gc.attribution_chart(explained, window.dates, found_ig.channels,
                                            _("Which inputs mattered: integrated gradients (red pushes the forecast up)"), x_range=x_range),
                       width="stretch", key="attribution_chart")
    left.caption(_("The cells sum to {sum:+.4g}: the forecast minus the baseline's ({total:+.4g}; largest gap over the horizon {gap:.1e}, "
                   "{points} points on the path). The base forecast stays the window's own, so this explains the network's part.").format(
                     sum=explained.sum(), total=total, gap=found_ig.gap.max(), points=found_ig.points))
    for quantity in quantities:
        left, right = st.columns([1.6, 4], vertical_alignment="center")
        left.latex(kind.equations[quantity])
        values = trace.get(quantity)[0][:, shown_units]
        right.plotly_chart(gc.heatmap(values, window.dates, quantity, shown_units, x_range=x_range), width="stretch", key=f"heat_{quantity}")

with tab2:
    quantity = st.radio(_("Quantity"), quantities, index=start(f"history_quantity_{kind.name}", quantities, memory_index), horizontal=True,
                        format_func=gc.title, key=scoped(f"history_quantity_{kind.name}"))
    st.caption(_("Each column is the state after reading the window that ends on that date. Look at outliers, level shifts and season boundaries.")
               + (" " + _("A long series shows its last {count} windows.").format(count=number(len(history_dates)))
                  if len(history_dates) < len(ends) else ""))
    values = trace_h.get(quantity)[:, 0, :][:, shown_units]
    st.plotly_chart(gc.history_chart(series, history_dates, values, quantity, shown_units), width="stretch", key="history_chart")

with tab3:
    mean_memory = trace_h.memory_gate[:, 0, :].mean(axis=0)
    lives = gates.half_life(mean_memory)
    st.plotly_chart(gc.half_life_chart(lives[shown_units], mean_memory[shown_units], shown_units, kind.memory_gate), width="stretch", key="half_life")
    u1, u2 = st.columns([1, 3])
    unit_quantity = u1.selectbox(_("Quantity"), quantities, index=start(f"unit_quantity_{kind.name}", quantities, memory_index),
                                 format_func=gc.title, key=scoped(f"unit_quantity_{kind.name}"))
    chosen = u2.multiselect(_("Units"), list(map(int, shown_units)), placeholder=_("Choose units"), default=list(map(int, shown_units[:3])), key="unit_choice")
    if chosen:
        st.plotly_chart(gc.unit_lines(history_dates, trace_h.get(unit_quantity)[:, 0, chosen], chosen, unit_quantity), width="stretch", key="unit_lines")
    st.caption(_("Longest memory: unit {unit} (half-life {steps:.1f} steps).").format(unit=int(np.argmax(lives)), steps=lives.max()) + " "
               + (_("A forget gate near 1 keeps the cell state; the half-life says how many steps until half of it is gone if nothing "
                    "new is written.") if kind.memory_gate == "forget" else
                  _("An update gate near 1 keeps the previous hidden state (Keras' GRU: h_t = z_t h_{t-1} + (1 − z_t) h̃_t); the "
                    "half-life says how many steps until half of it is gone if nothing new is written.")))

with tab4:
    samples = {q: trace_h.get(q)[:, 0, :].ravel() for q in kind.gate_like}
    shares = {q: gates.saturation(v) for q, v in samples.items()}
    st.plotly_chart(gc.saturation_chart(samples, shares), width="stretch", key="saturation")
    st.caption(_("Saturated gates act like switches; gates in the middle blend old and new information."))

with tab5:
    st.caption(_("Change the input window and see how the gates and the forecast respond, next to the original."))
    w1, w2, w3 = st.columns(3)
    base = lens.window_at(model, series, covariates, default_end)
    spread = float(np.std(series.to_numpy())) or 1.0
    spike_at = w1.slider(_("Spike at step"), 0, model.lookback_ - 1, model.lookback_ - 1, key="spike_at")
    spike = w1.slider(_("Spike size (× series std)"), -5.0, 5.0, 0.0, 0.5, key="spike_size")
    shift = w2.slider(_("Level shift (× series std)"), -3.0, 3.0, 0.0, 0.25, key="shift")
    flatten = w3.checkbox(_("Remove the season ({steps} steps)").format(steps=run.season), key="flatten",
                          disabled=run.season < 2 or model.lookback_ < 2 * run.season,
                          help=_("Subtracts the window's own average seasonal profile. Needs a lookback of at least two seasons."))
    values = base.values
    if flatten:
        values = lens.remove_season(values, run.season)
    values = lens.shift_level(values, shift * spread)
    values = lens.add_spike(values, spike_at, spike * spread)
    changed = lens.edited(base, values)
    f_orig, f_new = lens.forecast_from(model, base), lens.forecast_from(model, changed)
    fdates = future_index(series.iloc[:default_end + 1], len(f_orig))
    st.plotly_chart(gc.whatif_chart(base.dates, base.values, values, fdates, f_orig, f_new, str(series.name)), width="stretch", key="whatif")
    st.session_state["whatif_forecast"] = f_new
    q = st.radio(_("Gate to compare"), quantities, index=start(f"whatif_q_{kind.name}", quantities, memory_index), horizontal=True,
                 format_func=gc.title, key=scoped(f"whatif_q_{kind.name}"))
    a, b = st.columns(2)
    before = lens.trace_window(model, base, member)[layer].get(q)[0][:, shown_units]
    after = lens.trace_window(model, changed, member)[layer].get(q)[0][:, shown_units]
    a.plotly_chart(gc.heatmap(before, base.dates, q, shown_units, heading=_("{quantity}: original").format(quantity=gc.title(q))),
                   width="stretch", key="whatif_before")
    b.plotly_chart(gc.heatmap(after, base.dates, q, shown_units, heading=_("{quantity}: edited").format(quantity=gc.title(q))),
                   width="stretch", key="whatif_after")
next_step("pages/learn.py", _("Next: learn what these gates do"))
