"""What an Optuna tuning of the LSTM did: one sentence, the settings it chose, and Optuna's charts."""
from __future__ import annotations

import streamlit as st

from core.charts import tuning as charts
from core.charts.tuning import SETTINGS as NAMES
from core.evaluation.tuning import TuningSummary, load_study
from core.i18n import _
from ui.state import plain


def _setting(name: str, value) -> str:
    if name == "learning_rate":
        return f"{_(NAMES[name])} {value:.4f}"
    if name == "dropout":
        return f"{_(NAMES[name])} {value:.2f}"
    return f"{_(NAMES[name])} {value}"


def show_tuning(tuning: dict | None) -> None:
    if not tuning:
        return
    summary = TuningSummary.from_json(tuning)
    st.subheader(_("Tuning (Optuna)"))
    chosen = ", ".join(_setting(k, v) for k, v in summary.best.items())
    kept = summary.best_mase >= summary.start_mase
    st.markdown(_("Optuna tried **{trials}** LSTM settings in {seconds:.0f} s ({pruned} stopped early by pruning or the budget), each "
                  "as one network trained on the training part without its last {points} points and scored on them; the test part "
                  "stayed unseen.").format(trials=summary.trials, seconds=summary.seconds, pruned=summary.pruned,
                                           points=summary.validation_points) + " "
                + (_("No setting tried beat the ones you had (validation MASE {start:.3f}), so they were kept.").format(start=summary.start_mase)
                   if kept else _("Best validation MASE **{best:.3f}**, against {start:.3f} for the settings you had.").format(
                       best=summary.best_mase, start=summary.start_mase)) + " "
                + _("The LSTM above was trained with {settings}.").format(settings=plain(chosen)))
    study = load_study(summary)
    if study is None:
        st.caption(_("The study {study} is no longer in the data folder, so its charts cannot be drawn.").format(study=plain(summary.study)))
        return
    left, right = st.columns(2)
    left.plotly_chart(charts.history_chart(study), width="stretch", key="tuning_history")
    importance = charts.importance_chart(study)
    if importance is None:
        right.caption(_("Which settings mattered needs at least 4 finished trials; give tuning a longer budget."))
    else:
        right.plotly_chart(importance, width="stretch", key="tuning_importance")
