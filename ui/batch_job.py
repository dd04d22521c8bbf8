"""A batch running in a thread of its own (ui.jobs), so that the reader may open other pages while it runs.

The Batch page starts a ``BatchJob``; the job records the overall progress and each series' status as
``core.batch.panel.run_batch`` reports them, saves the result when it is done (so a closed tab loses nothing), and
the Batch page follows it live (``follow``).
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from core.i18n import Text, _, tr
from core.i18n.formats import number
from ui.jobs import POLL_SECONDS, Job
from ui.state import BATCH, BATCH_ID, BATCH_JOB
from ui.tables import STATUSES, header

TABLE_SECONDS = 0.4  # the status table is redrawn at most this often


class BatchJob(Job):
    page = "pages/batch.py"

    def __init__(self, ids):
        super().__init__()
        self.fraction, self.message = 0.0, Text("Starting…")
        self.statuses = {sid: ("waiting", None) for sid in ids}  # sid -> (status, detail)
        self.changes = 0
        self.batch_id = None

    def start(self, frame, models, horizon: int, season: int, *, columns, scheduler, client, score_season, owner: str):
        from core.batch.panel import run_batch
        from core.models import import_needs
        from core.runs.batches import save_batch

        def work():
            import_needs([spec.key for spec in models])  # after the page's own preloading, never beside it
            result = run_batch(frame, models, horizon, season, columns=columns, scheduler=scheduler, client=client,
                               score_season=score_season, on_progress=self._progress, on_series=self._series)
            if client is not None:
                result.scheduler = "Dask, local"
            self.batch_id = save_batch(result, owner=owner)  # a refresh or a restart reopens it
            return result

        return self._start(work, "lstm-lens-batch")

    def _progress(self, fraction, message) -> None:
        self.check()
        self.fraction, self.message = min(max(float(fraction), 0.0), 1.0), message

    def _series(self, sid, status, detail) -> None:
        self.check()
        self.statuses[sid] = (status, detail)
        self.changes += 1

    def sidebar_line(self) -> str:
        return _("Batch: {percent}% done.").format(percent=int(100 * self.fraction))

    def adopt(self) -> None:
        st.session_state[BATCH] = self.result
        st.session_state[BATCH_ID] = st.query_params["batch"] = self.batch_id


def current_batch_job() -> BatchJob | None:
    return st.session_state.get(BATCH_JOB)


def status_table(job: BatchJob) -> pd.DataFrame:
    rows = []
    for sid, (status, detail) in list(job.statuses.items()):
        if status == "skipped":
            shown = _("skipped: {reason}").format(reason=tr(detail))
        else:
            shown = _(STATUSES.get(status, status)) if status != "waiting" else _("waiting")
        if status == "waiting" and not job.running and job.error is None:
            shown = _("done")
        rows.append({"series": sid, "status": shown, "fit s": detail if status == "done" else np.nan})
    return pd.DataFrame(rows)


def follow(job: BatchJob) -> None:
    """Draw a running batch until it ends, then run the page again: the overall bar, Stop, and each series' status."""
    st.caption(_("The batch goes on if you open another page; come back here to follow it."))
    if st.button(_("Stop the batch"), key="stop_batch", icon=":material/stop_circle:"):
        job.stop.set()
    bar, board = st.progress(job.fraction, text=tr(job.message)), st.empty()
    shown, drawn_changes, drawn_at = None, -1, 0.0
    while True:
        ended = not job.running
        state = (job.fraction, job.message)
        if state != shown or not ended:  # every poll sends something: Streamlit then notices the reader leaving
            text = _("Stopping…") if job.stop.is_set() and not ended else _("{message} · {seconds} s").format(
                message=tr(job.message), seconds=number(time.perf_counter() - job.started, 0))
            bar.progress(job.fraction, text=text)
            shown = state
        if job.changes != drawn_changes and (ended or time.perf_counter() - drawn_at > TABLE_SECONDS):
            drawn_changes, drawn_at = job.changes, time.perf_counter()
            board.dataframe(status_table(job).rename(columns=header), hide_index=True, width="stretch", height=260,
                            column_config={header("fit s"): st.column_config.NumberColumn(format="%.1f")})
        if ended:
            break
        time.sleep(POLL_SECONDS)
    st.rerun()  # the page again, without a running batch: its result (app.py took it), or what ended it
