"""An Optuna study of the LSTM's settings, drawn with Optuna's own Plotly charts in the app's style."""
from __future__ import annotations

import plotly.graph_objects as go

from core.charts.common import base_layout
from core.i18n import N_, _

# The settings the tuning searches (Optuna's parameter names), and the trace names Optuna's charts use.
SETTINGS = {"units": N_("units"), "layers": N_("layers"), "lookback": N_("lookback"), "learning_rate": N_("learning rate"),
            "dropout": N_("input dropout")}
OPTUNA_TRACES = {name: name for name in (N_("Objective Value"), N_("Best Value"), N_("Infeasible Trial"))}


def _named(fig: go.Figure) -> go.Figure:
    """Optuna's own trace names and the searched settings' names, in the reader's language."""
    for trace in fig.data:
        if trace.name in OPTUNA_TRACES:
            trace.name = _(trace.name)
        if trace.type == "bar" and trace.y is not None:
            trace.y = [_(SETTINGS.get(str(name), str(name))) for name in trace.y]
            trace.hovertemplate = "%{y}: %{x:.3f}<extra></extra>"  # Optuna's names each setting's distribution class
    return fig


def history_chart(study) -> go.Figure:
    """Every trial's validation MASE and the best so far (Optuna's optimisation history)."""
    from optuna.visualization import plot_optimization_history

    fig = _named(plot_optimization_history(study, target_name=_("validation MASE")))
    fig = base_layout(fig, _("Tuning: validation MASE of each setting tried"), height=360)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title=_("trial"))
    fig.update_yaxes(title=_("validation MASE (lower is better)"))
    return fig


def importance_chart(study) -> go.Figure | None:
    """How much each searched setting mattered (PED-ANOVA, no extra dependency); None with too few finished trials."""
    from optuna.importance import PedAnovaImportanceEvaluator
    from optuna.visualization import plot_param_importances

    finished = [t for t in study.trials if t.state.name == "COMPLETE"]
    if len(finished) < 4:
        return None
    try:
        fig = plot_param_importances(study, evaluator=PedAnovaImportanceEvaluator(), target_name=_("validation MASE"))
    except (ValueError, RuntimeError, ZeroDivisionError):  # a study whose trials all scored the same
        return None
    fig = base_layout(_named(fig), _("Tuning: which settings mattered"), height=360)
    fig.update_xaxes(title=_("importance"))
    fig.update_yaxes(title=_("setting"))
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
