"""What an Optuna tuning of the LSTM did: one sentence, the settings it chose, and Optuna's charts."""
from __future__ import annotations

import streamlit as st

from core.charts import tuning as charts
from core.evaluation.tuning import TuningSummary, load_study
from ui.state import plain

NAMES = {"units": "units", "layers": "layers", "lookback": "lookback", "learning_rate": "learning rate", "dropout": "input dropout"}


def _setting(name: str, value) -> str:
    if name == "learning_rate":
        return f"{NAMES[name]} {value:.4f}"
    if name == "dropout":
        return f"{NAMES[name]} {value:.2f}"
    return f"{NAMES[name]} {value}"


def show_tuning(tuning: dict | None) -> None:
    if not tuning:
        return
    summary = TuningSummary.from_json(tuning)
    st.subheader("Tuning (Optuna)")
    chosen = ", ".join(_setting(k, v) for k, v in summary.best.items())
    kept = summary.best_mase >= summary.start_mase
    st.markdown(f"Optuna tried **{summary.trials:d}** LSTM settings in {summary.seconds:.0f} s ({summary.pruned:d} stopped early by "
                f"pruning or the budget), each as one network trained on the training part without its last "
                f"{summary.validation_points:d} points and scored on them; the test part stayed unseen. "
                + (f"No setting tried beat the ones you had (validation MASE {summary.start_mase:.3f}), so they were kept. " if kept
                   else f"Best validation MASE **{summary.best_mase:.3f}**, against {summary.start_mase:.3f} for the settings you had. ")
                + f"The LSTM above was trained with {plain(chosen)}.")
    study = load_study(summary)
    if study is None:
        st.caption(f"The study {plain(summary.study)} is no longer in the data folder, so its charts cannot be drawn.")
        return
    left, right = st.columns(2)
    left.plotly_chart(charts.history_chart(study), width="stretch", key="tuning_history")
    importance = charts.importance_chart(study)
    if importance is None:
        right.caption("Which settings mattered needs at least 4 finished trials; give tuning a longer budget.")
    else:
        right.plotly_chart(importance, width="stretch", key="tuning_importance")
