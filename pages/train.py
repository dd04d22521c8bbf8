"""Train page: choose models and settings, train with live progress, hand results to Compare."""
import streamlit as st

from core.charts import forecasts as charts
from core.data import default_test_size
from core.data.dates import describe_frequency
from core.errors import DataError
from core.evaluation.holdout import ModelSpec
from core.models import ARIMA, DEFAULT_MODELS, GRU, LSTM, REGISTRY, series_models
from core.models.device import GPU_HINT, cudnn_eligibility
from core.training import RunSettings, check_request, train_run
from ui.auth import viewer
from ui.tuning_view import show_tuning
from ui.state import RESULTS, current_run, get_store, next_step, plain, require_dataset, show_error


@st.cache_resource(show_spinner="Looking for GPUs…")
def devices():
    from core.models.device import list_devices

    return list_devices()

st.title("Train")
dataset = require_dataset()
clean = dataset.clean
y = clean.y
st.caption(f"**{plain(dataset.name)}** · {len(y):,} points · {describe_frequency(clean.freq)} · suggested season {clean.season:d}"
           + (f" · covariates: {plain(', '.join(map(str, clean.covariates.columns)))}" if clean.covariates is not None else ""))

available = [k for k in series_models() if not (REGISTRY[k].needs_season and clean.season < 2)]
with st.form("train_settings"):
    models = st.multiselect(
        "Models", available, default=[k for k in DEFAULT_MODELS if k in available],
        format_func=lambda k: REGISTRY[k].label,
        help="Naive and seasonal naive are the honest references: a model that cannot beat them is not worth its cost. "
             + " ".join(f"{REGISTRY[k].label}: {REGISTRY[k].about}" for k in available),
    )
    c1, c2, c3, c4 = st.columns(4)
    test_default = default_test_size(clean.season, len(y))
    test_size = c1.number_input("Test size (points held out)", min_value=1, max_value=max(1, len(y) - 8), value=test_default,
                                help="The last points are hidden from every model; each forecasts them and is scored on them.")
    horizon = c2.number_input("Future horizon (steps)", min_value=1, max_value=max(1, len(y)), value=test_default,
                              help="How far past the end of the data the Compare page forecasts after refitting on all of it.")
    season = c3.number_input("Season (steps)", min_value=1, max_value=max(1, len(y) // 2), value=int(clean.season),
                             help="Length of one seasonal cycle: 12 for monthly data with a yearly pattern, 24 or 168 for hourly, 1 for none.")
    level = c4.slider("Interval level", 50, 99, 90, help="Coverage the prediction intervals aim for (e.g. 90% of actuals inside).") / 100

    with st.expander("LSTM and GRU settings", expanded=False):
        l1, l2, l3, l4 = st.columns(4)
        lookback = l1.number_input("Lookback (0 = automatic)", 0, max(2, len(y) // 2), 0,
                                   help="How many past steps the LSTM reads for each forecast. Automatic: two seasons (or the horizon), bounded by the data.")
        layers = l2.number_input("Layers", 1, 3, 1, help="Stacked LSTM layers. One is usually enough for a single series.")
        units = l3.number_input("Units per layer", 2, 256, 32, help="Size of the cell state: more units remember more patterns but need more data.")
        epochs = l4.number_input("Max epochs", 1, 1000, 150, help="Training stops earlier when the validation loss stops improving (early stopping) and the best weights are restored.")
        l5, l6, l7, l8 = st.columns(4)
        learning_rate = l5.number_input("Learning rate", 1e-5, 1.0, 3e-3, format="%.4f", help="Step size of the Adam optimiser.")
        batch_size = l6.number_input("Batch size (0 = automatic)", 0, 4096, 0, help="Windows per gradient step. Automatic: 32 for short series, 128 from 1,000 training windows (3× faster per epoch there, as accurate).")
        dropout = l7.number_input("Input dropout", 0.0, 0.9, 0.0, step=0.05, help="Share of inputs dropped while training, against overfitting. Keeps the fast fused (cuDNN) kernel.")
        seed = l8.number_input("Seed", 0, 2**31 - 1, 0, help="The same seed and settings give the same model.")
        l9, l10 = st.columns([1, 3])
        recurrent_dropout = l9.number_input("Recurrent dropout", 0.0, 0.9, 0.0, step=0.05,
                                            help="Dropout on the recurrent connections. Above 0 it turns off the fast fused cuDNN kernel on GPUs.")
        patience = l10.slider("Early-stopping patience (epochs)", 1, 100, 15, help="Epochs without a better validation loss before training stops.")
        t1, t2 = st.columns([1, 3])
        tune = t1.toggle("Tune with Optuna first", key="tune_lstm",
                         help="Search units, layers, lookback, learning rate and dropout before training: each setting tried is "
                              "trained on the training part without its last points and scored on them (the test part stays unseen).")
        tune_seconds = t2.slider("Tuning budget (seconds)", 10, 600, 60, step=10, key="tune_seconds",
                                 help="The search stops after this long; the settings you have now are always tried first.")
        found = devices()
        has_gpu = any(d.kind == "GPU" for d in found)
        device = st.selectbox("Device", [d.key for d in found], format_func={d.key: d.label for d in found}.get,
                              index=1 if has_gpu else 0, disabled=not has_gpu, help="Where the LSTM trains. Every model trained on a GPU also loads and forecasts on a CPU.")
        if not has_gpu:
            st.caption(GPU_HINT)
    with st.expander("ARIMA settings", expanded=False):
        manual = st.checkbox("Set the order by hand", help="Otherwise a stepwise search picks (p,d,q)(P,D,Q) by AICc.")
        a = st.columns(6)
        order = tuple(a[i].number_input(name, 0, 5, value, key=f"arima_{name}") for i, (name, value) in enumerate(zip("pdq", (1, 1, 1))))
        seasonal_order = tuple(a[3 + i].number_input(name, 0, 2, value, key=f"arima_{name}s") for i, (name, value) in enumerate(zip("PDQ", (0, 1, 1))))
    submitted = st.form_submit_button("Train models", type="primary")

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
        show_error(error)
        st.stop()
    if LSTM in models or GRU in models:
        for reason in cudnn_eligibility(recurrent_dropout=float(recurrent_dropout)):
            st.warning(f"On a GPU this network cannot use the fused cuDNN kernel because {plain(reason)}; it will train several times slower there.")
    st.subheader("Training")
    bars = {spec.key: st.progress(0.0, text=f"{spec.label}: waiting") for spec in specs}
    loss_area = st.empty() if LSTM in models or GRU in models else None
    losses = {"loss": [], "val_loss": []}
    drawn = []  # each live chart drawn gets its own key (one network after another)

    def progress_for(spec):
        def update(fraction, message):
            bars[spec.key].progress(min(1.0, max(0.0, fraction)), text=message)
        return update

    def on_epoch(epoch, logs):
        if epoch == 1:  # the next network started (the GRU after the LSTM): its own curve
            losses["loss"].clear()
            losses["val_loss"].clear()
        losses["loss"].append(logs["loss"])
        losses["val_loss"].append(logs["val_loss"])
        if loss_area is not None and (epoch <= 3 or epoch % 2 == 0):
            drawn.append(epoch)
            loss_area.plotly_chart(charts.loss_chart(losses), width="stretch", key=f"loss_live_{len(drawn)}")

    try:
        store = get_store()
    except DataError as error:  # train anyway; the run cannot be saved
        show_error(error)
        store = None
    finished = train_run(dataset, specs, settings, store=store, on_model_progress=progress_for, on_epoch=on_epoch, owner=viewer().owner)
    for spec in specs:
        result = finished.evaluation.results[spec.key]
        bars[spec.key].progress(1.0, text=f"{spec.label}: " + (f"done in {result.fit_seconds:.1f} s" if result.error is None else "failed"))
    st.session_state[RESULTS] = finished
    if finished.run_id:
        st.query_params["run"] = finished.run_id
        st.success(f"Run {plain(finished.run_id)} saved. It survives a browser refresh and a server restart; find it again on the Runs page.")

run = current_run()
if run is not None:
    evaluation = run.evaluation
    if run.dataset.digest != dataset.digest or run.dataset.settings != dataset.settings:
        st.warning("These results are for an earlier series or cleaning; train again to use the current one.")
    for result in evaluation.results.values():
        if result.error:
            st.error(f"{plain(result.label)}: {plain(result.error)}")
    board = evaluation.leaderboard()
    if not board.empty:
        st.subheader("Leaderboard (test part)")
        st.dataframe(board[["model", "MASE", "sMAPE", "RMSE", "coverage", "skill vs seasonal naive", "fit s", "details"]],
                     hide_index=True, width="stretch",
                     column_config={"MASE": st.column_config.NumberColumn(format="%.3f"), "sMAPE": st.column_config.NumberColumn(format="%.2f"),
                                    "RMSE": st.column_config.NumberColumn(format="%.4g"), "coverage": st.column_config.NumberColumn(format="percent"),
                                    "skill vs seasonal naive": st.column_config.NumberColumn(format="percent"),
                                    "fit s": st.column_config.NumberColumn(format="%.2f")})
    looked_inside = evaluation.inspectable()
    if looked_inside is not None:
        training = looked_inside.model.training_
        st.plotly_chart(charts.loss_chart(training.history, training.best_epoch), width="stretch", key="loss_final")
        m1, m2, m3 = st.columns(3)
        m1.metric(f"{looked_inside.label} device", training.device)
        m2.metric("Seconds per epoch", f"{training.epoch_seconds:.2f}")
        m3.metric("Training time", f"{training.seconds:.1f} s", help=f"{training.epochs_run} epochs; best at {training.best_epoch}")
    show_tuning(run.tuning)
    next_step("pages/compare.py", "Next: compare the forecasts")
