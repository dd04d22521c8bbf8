"""Train page: choose models and settings, train with live progress, hand results to Compare."""
import streamlit as st

from core.charts import forecasts as charts
from core.data import default_test_size
from core.data.dates import describe_frequency
from core.errors import DataError
from core.evaluation.holdout import ModelSpec
from core.evaluation.leaderboard import leaderboard
from core.i18n import Text, _, tr
from core.i18n.formats import number
from core.models import ARIMA, DEFAULT_MODELS, GRU, LSTM, REGISTRY, preload_needs, series_models
from core.models.device import GPU_HINT, cudnn_eligibility
from core.training import RunSettings, check_request
from ui.auth import viewer
from ui.language import scoped, start, start_many
from ui.training_job import TrainingJob, current_job, follow, running_job
from ui.tuning_view import show_tuning
from ui.state import JOB, JUST_SAVED, TRAIN_PRESSED, current_run, get_store, next_step, plain, require_dataset, show_error
from ui.tables import for_reader, header
from ui.entry import through_app


@st.cache_resource(show_spinner=False)
def devices():
    from core.models.device import list_devices

    return list_devices()


def show_leaderboard(board) -> None:
    """The leaderboard's columns as a reader sees them, best MASE first; below it, each model's details whole (the
    fitted order, the regression's terms, the network: too long for a table cell)."""
    st.dataframe(for_reader(board[["model", "MASE", "sMAPE", "RMSE", "coverage", "skill vs seasonal naive", "fit s"]]),
                 hide_index=True, width="stretch",
                 column_config={"MASE": st.column_config.NumberColumn(format="%.3f"), "sMAPE": st.column_config.NumberColumn(format="%.2f"),
                                "RMSE": st.column_config.NumberColumn(format="%.4g"),
                                header("coverage"): st.column_config.NumberColumn(format="percent"),
                                header("skill vs seasonal naive"): st.column_config.NumberColumn(format="percent"),
                                header("fit s"): st.column_config.NumberColumn(format="%.2f")})
    described = [f"**{plain(tr(m))}**: {plain(tr(d))}" for m, d in zip(board["model"], board["details"]) if isinstance(d, str) and d]
    if described:
        st.caption("  \n".join(described))


through_app()  # before anything is drawn: a page opened by its own URL on a fresh server runs inside app.py
st.title(_("Train"))
dataset = require_dataset()
clean = dataset.clean
y = clean.y
st.caption(_("**{name}** · {points} points · {frequency} · suggested season {season}").format(
               name=plain(tr(dataset.name)), points=number(len(y)), frequency=tr(describe_frequency(clean.freq)), season=clean.season)
           + (" · " + _("covariates: {names}").format(names=plain(", ".join(map(str, clean.covariates.columns))))
              if clean.covariates is not None else ""))

available = [k for k in series_models() if not (REGISTRY[k].needs_season and clean.season < 2)]
with st.form("train_settings"):
    models = st.multiselect(
        _("Models"), available, placeholder=_("Choose models"), default=start_many("train_models", available, [k for k in DEFAULT_MODELS if k in available]),
        format_func=lambda k: _(REGISTRY[k].label), key=scoped("train_models"),
        help=_("Naive and seasonal naive are the honest references: a model that cannot beat them is not worth its cost.") + " "
             + " ".join(f"{_(REGISTRY[k].label)}: {_(REGISTRY[k].about)}" for k in available),
    )
    c1, c2, c3, c4 = st.columns(4)
    test_default = default_test_size(clean.season, len(y))
    test_size = c1.number_input(_("Test size (points held out)"), min_value=1, max_value=max(1, len(y) - 8), value=test_default,
                                key="train_test_size", help=_("The last points are hidden from every model; each forecasts them and is scored on them."))
    horizon = c2.number_input(_("Future horizon (steps)"), min_value=1, max_value=max(1, len(y)), value=test_default, key="train_horizon",
                              help=_("How far past the end of the data the Compare page forecasts after refitting on all of it."))
    season = c3.number_input(_("Season (steps)"), min_value=1, max_value=max(1, len(y) // 2), value=int(clean.season), key="train_season",
                             help=_("Length of one seasonal cycle: 12 for monthly data with a yearly pattern, 24 or 168 for hourly, 1 for none."))
    level = c4.slider(_("Interval level"), 50, 99, 90, key="train_interval_level",
                      help=_("Coverage the prediction intervals aim for (e.g. 90% of actuals inside).")) / 100

    with st.expander(_("LSTM and GRU settings"), expanded=False):
        l1, l2, l3, l4 = st.columns(4)
        lookback = l1.number_input(_("Lookback (0 = automatic)"), 0, max(2, len(y) // 2), 0, key="train_lookback",
                                   help=_("How many past steps the LSTM reads for each forecast. Automatic: two seasons (or the horizon), bounded by the data."))
        layers = l2.number_input(_("Layers"), 1, 3, 1, key="train_layers", help=_("Stacked LSTM layers. One is usually enough for a single series."))
        units = l3.number_input(_("Units per layer"), 2, 256, 32, key="train_units",
                                help=_("Size of the cell state: more units remember more patterns but need more data."))
        epochs = l4.number_input(_("Max epochs"), 1, 1000, 150, key="train_epochs",
                                 help=_("Training stops earlier when the validation loss stops improving (early stopping) and the best weights are restored."))
        l5, l6, l7, l8 = st.columns(4)
        learning_rate = l5.number_input(_("Learning rate"), 1e-5, 1.0, 3e-3, format="%.4f", key="train_learning_rate",
                                        help=_("Step size of the Adam optimiser."))
        batch_size = l6.number_input(_("Batch size (0 = automatic)"), 0, 4096, 0, key="train_batch_size",
                                     help=_("Windows per gradient step. Automatic: 32 for short series. From 1,000 training windows the network trains on stretches of the series instead, each scoring as many windows as the lookback: then this is stretches per step, automatic 16."))
        dropout = l7.number_input(_("Input dropout"), 0.0, 0.9, 0.0, step=0.05, key="train_dropout",
                                  help=_("Share of inputs dropped while training, against overfitting. Keeps the fast fused (cuDNN) kernel."))
        seed = l8.number_input(_("Seed"), 0, 2**31 - 1, 0, key="train_seed", help=_("The same seed and settings give the same model."))
        l9, l10 = st.columns([1, 3])
        recurrent_dropout = l9.number_input(_("Recurrent dropout"), 0.0, 0.9, 0.0, step=0.05, key="train_recurrent_dropout",
                                            help=_("Dropout on the recurrent connections. Above 0 it turns off the fast fused cuDNN kernel on GPUs."))
        patience = l10.slider(_("Early-stopping patience (epochs)"), 1, 100, 15, key="train_patience",
                              help=_("Epochs without a better validation loss before training stops."))
        t1, t2 = st.columns([1, 3])
        tune = t1.toggle(_("Tune with Optuna first"), key="tune_lstm",
                         help=_("Search units, layers, lookback, learning rate and dropout before training: each setting tried is "
                                "trained on the training part without its last points and scored on them (the test part stays unseen)."))
        tune_seconds = t2.slider(_("Tuning budget (seconds)"), 10, 600, 60, step=10, key="tune_seconds",
                                 help=_("The search stops after this long; the settings you have now are always tried first."))
        with st.spinner(_("Looking for GPUs…")):
            found = devices()
        has_gpu = any(d.kind == "GPU" for d in found)
        device_keys = [d.key for d in found]
        device = st.selectbox(_("Device"), device_keys, format_func={d.key: tr(d.label) for d in found}.get,
                              key=scoped("train_device"), index=start("train_device", device_keys, 1 if has_gpu else 0), disabled=not has_gpu,
                              help=_("Where the LSTM trains. Every model trained on a GPU also loads and forecasts on a CPU."))
        if not has_gpu:
            st.caption(_(GPU_HINT))
    with st.expander(_("ARIMA settings"), expanded=False):
        manual = st.checkbox(_("Set the order by hand"), key="train_arima_manual", help=_("Otherwise a stepwise search picks (p,d,q)(P,D,Q) by AICc."))
        a = st.columns(6)
        order = tuple(a[i].number_input(name, 0, 5, value, key=f"arima_{name}") for i, (name, value) in enumerate(zip("pdq", (1, 1, 1))))
        seasonal_order = tuple(a[3 + i].number_input(name, 0, 2, value, key=f"arima_{name}s") for i, (name, value) in enumerate(zip("PDQ", (0, 1, 1))))
    # The click is read from the flag its callback sets before this run, and the request checked before the button is
    # drawn, so that a training's own run draws it disabled (Streamlit drops what a disabled widget reports, so the
    # button's own value cannot be read then) and a refused request leaves it enabled.
    submitted, problem = st.session_state.pop(TRAIN_PRESSED, False) and running_job() is None, None
    if submitted:
        recurrent = dict(lookback=int(lookback) or None, layers=int(layers), units=int(units), epochs=int(epochs), learning_rate=float(learning_rate),
                         batch_size=int(batch_size) or None, dropout=float(dropout), seed=int(seed), patience=int(patience),
                         recurrent_dropout=float(recurrent_dropout), device=device)
        params = {LSTM: recurrent, GRU: dict(recurrent), ARIMA: dict(order=order, seasonal_order=seasonal_order) if manual else {}}
        specs = [ModelSpec(k, params.get(k, {})) for k in models]
        settings = RunSettings(test_size=int(test_size), horizon=int(horizon), season=int(season), level=level,
                               tune_seconds=float(tune_seconds) if tune else 0.0)
        try:
            check_request(dataset, specs, settings)
        except DataError as error:
            submitted, problem = False, error
    st.form_submit_button(_("Train models"), type="primary", disabled=submitted or running_job() is not None,
                          on_click=st.session_state.__setitem__, args=(TRAIN_PRESSED, True))

preload_needs(models)  # TensorFlow's import (seconds) runs while the settings are chosen, not after Train is pressed

if problem is not None:
    show_error(problem)
    st.stop()
if submitted:
    notes = [_("On a GPU this network cannot use the fused cuDNN kernel because {reason}; it will train several times slower there.").format(
        reason=plain(tr(reason))) for reason in (cudnn_eligibility(recurrent_dropout=float(recurrent_dropout)) if LSTM in models or GRU in models else [])]
    try:
        store = get_store()
    except DataError as error:  # train anyway; the run cannot be saved
        notes.append(plain(tr(error)))
        store = None
    st.session_state[JOB] = TrainingJob(specs, notes).start(dataset, settings, store=store, owner=viewer().owner)

job = current_job()
if job is not None:
    if job.running:
        follow(job, show_leaderboard, leaderboard)  # until it ends, then the page again
    elif job.error is None:
        st.rerun()  # it ended well a moment ago: app.py takes its run
    if job.stopped:
        st.warning(_("Training stopped: nothing of it was kept. The results below, if any, are from before."))
    elif job.error is not None:
        show_error(job.error if isinstance(job.error, DataError) else DataError(
            Text("Training failed: {kind}: {error}", kind=type(job.error).__name__, error=str(job.error)[:300])))
    del st.session_state[JOB]  # said once

run = current_run()
saved = st.session_state.pop(JUST_SAVED, None)
if saved:
    st.success(_("Run {run} saved. It survives a browser refresh and a server restart; find it again on the Runs page.").format(run=plain(saved)))
if run is not None:
    evaluation = run.evaluation
    if run.dataset.digest != dataset.digest or run.dataset.settings != dataset.settings:
        st.warning(_("These results are for an earlier series or cleaning; train again to use the current one."))
    for result in evaluation.results.values():
        if result.error:
            st.error(f"{plain(tr(result.label))}: {plain(tr(result.error))}")
    board = evaluation.leaderboard()
    if not board.empty:
        st.subheader(_("Leaderboard (test part)"))
        show_leaderboard(board)
    looked_inside = evaluation.inspectable()
    if looked_inside is not None:
        training = looked_inside.model.training_
        st.plotly_chart(charts.loss_chart(training.history, training.best_epoch), width="stretch", key="loss_final")
        m1, m2, m3 = st.columns(3)
        m1.metric(_("{label} device").format(label=_(looked_inside.label)), training.device)
        m2.metric(_("Seconds per epoch"), number(training.epoch_seconds, 2))
        m3.metric(_("Training time"), _("{seconds} s").format(seconds=number(training.seconds, 1)),
                  help=_("{epochs} epochs; best at {best}").format(epochs=training.epochs_run, best=training.best_epoch))
    show_tuning(run.tuning)
    next_step("pages/compare.py", _("Next: compare the forecasts"))
