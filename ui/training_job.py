"""A Train press running in a thread of its own, so that training goes on while the reader opens other pages.

The Train page starts a ``TrainingJob`` (ui.jobs) and keeps it in the session. The job only records: each model's
progress, the loss curve of the network training now, the results scored so far, and at the end the run (or the
error, or that the reader stopped it). The Train page follows it live (``follow``), the other pages say in the sidebar
how far it is, and the first page run after it ends takes its run as the session's (ui.jobs.adopt_finished).
"""
from __future__ import annotations

import time

import streamlit as st

from core.i18n import Text, _, tr
from core.i18n.formats import number
from core.models import REGISTRY, import_needs
from ui.jobs import POLL_SECONDS, Job
from ui.live_loss import LiveLossChart
from ui.state import JOB, JUST_SAVED, RESULTS


class TrainingJob(Job):
    """One Train press: ``start`` runs ``core.training.train_run`` in a daemon thread with callbacks that record."""

    page = "pages/train.py"

    def __init__(self, specs, notes=()):
        super().__init__()
        self.specs = list(specs)
        self.notes = list(notes)    # warnings the page gave when Train was pressed, shown while it runs
        self.progress = {s.key: (0.0, Text("{label}: waiting", label=Text(s.label))) for s in self.specs}
        self.loss = LiveLossChart()
        self.results = {}           # key -> ModelResult, the models scored so far

    @property
    def run(self):
        """The TrainingRun, when it ended well."""
        return self.result

    # ---------------------------------------------------------------- the training thread's side
    def start(self, dataset, settings, *, store=None, owner: str) -> "TrainingJob":
        from core.training import train_run

        def work():
            return train_run(dataset, self.specs, settings, store=store, on_model_progress=self._progress_for,
                             on_epoch=self._on_epoch, on_result=self._on_result, owner=owner)

        return self._start(work, "lstm-lens-training")

    def _progress_for(self, spec):
        """Called as each model starts: its libraries are imported first, after the Train page's own preloading and
        never beside it (the naive models, which need none, start at once)."""
        if REGISTRY[spec.key].needs:
            import_needs([spec.key])

        def update(fraction, message):
            self.check()
            self.progress[spec.key] = (min(1.0, max(0.0, float(fraction))), message)
        return update

    def _on_epoch(self, epoch: int, logs: dict) -> None:
        self.check()
        self.loss(epoch, logs)

    def _on_result(self, results: dict) -> None:
        self.results = results

    # ---------------------------------------------------------------- what pages read
    def counts(self) -> tuple[int, int]:
        return len(self.results), len(self.specs)

    def sidebar_line(self) -> str:
        done, total = self.counts()
        return _("Training: {done} of {total} models scored.").format(done=done, total=total)

    def adopt(self) -> None:
        st.session_state[RESULTS] = self.run
        if self.run.run_id:
            st.session_state[JUST_SAVED] = self.run.run_id  # the Train page says so once


def current_job() -> TrainingJob | None:
    return st.session_state.get(JOB)


def running_job() -> TrainingJob | None:
    job = current_job()
    return job if job is not None and job.running else None


def follow(job: TrainingJob, show_leaderboard, leaderboard) -> None:
    """Draw a running job on the Train page until it ends, then run the page again: a bar per model, the elapsed time,
    the leaderboard of the models scored so far and the live loss curve. Each poll sends the page something, which is when Streamlit notices
    that the reader opened another page (this run then stops; the training does not)."""
    st.subheader(_("Training"))
    for note in job.notes:
        st.warning(note)
    st.caption(_("Training goes on if you open another page; come back here to follow it, or find its results on the "
                 "other pages when it is done."))
    if st.button(_("Stop training"), key="stop_training", icon=":material/stop_circle:"):
        job.stop.set()
    bars = {s.key: st.progress(0.0, text=tr(job.progress[s.key][1])) for s in job.specs}
    clock, so_far, loss_area = st.empty(), st.empty(), st.empty()
    shown = {s.key: None for s in job.specs}
    scored = 0
    while True:
        ended = not job.running  # read before drawing: what is drawn after it is complete
        for s in job.specs:
            state = job.progress[s.key]
            if state != shown[s.key]:
                bars[s.key].progress(state[0], text=tr(state[1]))
                shown[s.key] = state
        done, total = job.counts()
        if job.stop.is_set() and not ended:
            clock.caption(_("Stopping after the current step…"))
        else:
            clock.caption(_("{done} of {total} models scored · {seconds} s").format(
                done=done, total=total, seconds=number(time.perf_counter() - job.started, 0)))
        if done != scored and done < total:
            scored = done
            with so_far.container():
                st.caption(_("Leaderboard so far: {done} of {total} models scored, the others still training.").format(done=done, total=total))
                show_leaderboard(leaderboard(dict(job.results)))
        job.loss.draw(loss_area, final=ended)
        if ended:
            break
        time.sleep(POLL_SECONDS)
    st.rerun()  # the page again, as it is without a running job: the form enabled, the run's results below it
