"""CSV exports that spreadsheet programs cannot mistake for formulas."""
from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a quote to text that a spreadsheet would run as a formula (OWASP CSV injection advice)."""
    return "'" + text if isinstance(text, str) and text.startswith(_FORMULA_START) else text


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes in which no text cell or header starts a live formula; numbers stay numbers."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    if out.index.name is not None or not isinstance(out.index, pd.RangeIndex):
        out = out.reset_index()
        out.columns = [neutralise(str(c)) for c in out.columns]
    return out.to_csv(index=False).encode("utf-8")


def run_files(run) -> dict[str, bytes]:
    """The files a user downloads for a run: the bundle, the inspectable network (.keras) and the charts (HTML)."""
    from core.charts import forecasts as fc
    from core.charts.common import standalone_html
    from core.i18n import _, tr
    from core.models.keras_training import network_bytes
    from core.runs.bundle import export_bundle

    out = {}
    if not run.batch_series:  # a batch's series lives in its saved batch, not in a run bundle
        out["bundle"] = export_bundle(run)
    looked_inside = run.evaluation.inspectable()
    if looked_inside is not None:
        out["keras"] = network_bytes(looked_inside.model.network())
    evaluation = run.evaluation
    ok = evaluation.ok()
    figures = [fc.forecast_chart(evaluation.train, evaluation.actual, [r.forecast for r in ok.values()],
                                 {r.label for r in ok.values()}, _("Forecasts of the held-out part")),
               fc.error_by_step_chart(evaluation.errors_by_step()),
               fc.residual_chart(evaluation.actual, [r.forecast for r in ok.values()])]
    out["charts"] = standalone_html(figures, f"LSTM Lens: {tr(run.dataset.name)}").encode("utf-8")
    return out
