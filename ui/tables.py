"""Tables as the reader sees them: column headers and model names in the reader's language (the frames keep their
English keys, which code, exports and the CLI rely on)."""
from __future__ import annotations

import pandas as pd

from core.i18n import N_, _, tr

HEADERS = {
    "model": N_("model"), "status": N_("status"), "details": N_("details"), "coverage": N_("coverage"),
    "skill vs seasonal naive": N_("skill vs seasonal naive"), "fit s": N_("fit s"), "predict s": N_("predict s"),
    "series": N_("series"), "unique_id": N_("series"), "origin": N_("origin"), "train points": N_("train points"),
    "error": N_("error"), "reason": N_("reason"), "origins": N_("origins"), "when": N_("when"), "run": N_("run"),
    "dataset": N_("dataset"), "models": N_("models"), "state": N_("state"), "owner": N_("owner"), "seconds": N_("seconds"),
    "best": N_("best"), "points": N_("points"), "seconds per series": N_("seconds per series"), "id": N_("id"),
    "created": N_("created"), "best model": N_("best model"), "best MASE": N_("best MASE"), "device": N_("device"),
    "message": N_("message"),
}
STATUSES = {"finished": N_("finished"), "running": N_("running"), "failed": N_("failed"), "interrupted": N_("interrupted"),
            "stopped": N_("stopped"),
            "ok": N_("ok"), "done": N_("done"), "skipped": N_("skipped")}
_TEXT_COLUMNS = ("model", "best model", "status", "details", "error", "reason", "state", "message")


def header(name) -> str:
    """A column's header for the reader; metric names (MASE, sMAPE, …) and the user's own columns stay as they are."""
    return _(HEADERS[name]) if name in HEADERS else str(name)


def for_reader(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with translated headers, and the sentences and model names of its text columns in the reader's language."""
    out = frame.copy()
    for column in _TEXT_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(lambda v: tr(v) if isinstance(v, str) else v)
    return out.rename(columns=header)
