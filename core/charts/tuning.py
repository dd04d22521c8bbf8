"""An Optuna study of the LSTM's settings, drawn with Optuna's own Plotly charts in the app's style."""
from __future__ import annotations

import plotly.graph_objects as go

from core.charts.common import base_layout


def history_chart(study) -> go.Figure:
    """Every trial's validation MASE and the best so far (Optuna's optimisation history)."""
    from optuna.visualization import plot_optimization_history

    fig = plot_optimization_history(study, target_name="validation MASE")
    fig = base_layout(fig, "Tuning: validation MASE of each setting tried", height=360)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title="trial")
    fig.update_yaxes(title="validation MASE (lower is better)")
    return fig


def importance_chart(study) -> go.Figure | None:
    """How much each searched setting mattered (PED-ANOVA, no extra dependency); None with too few finished trials."""
    from optuna.importance import PedAnovaImportanceEvaluator
    from optuna.visualization import plot_param_importances

    finished = [t for t in study.trials if t.state.name == "COMPLETE"]
    if len(finished) < 4:
        return None
    try:
        fig = plot_param_importances(study, evaluator=PedAnovaImportanceEvaluator(), target_name="validation MASE")
    except (ValueError, RuntimeError, ZeroDivisionError):  # a study whose trials all scored the same
        return None
    fig = base_layout(fig, "Tuning: which settings mattered", height=360)
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
