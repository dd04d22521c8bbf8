"""Work a page starts in a thread of its own, so that it goes on while the reader opens other pages.

A ``Job`` only records (progress, partial results, the result or the error); the page that started it draws from it
while it is open, and every other page says in the sidebar how far it is (``sidebar_status``). Nothing here calls
Streamlit from the job's thread. ui/training_job.py (a Train press) and ui/batch_job.py (a batch) build on it.
"""
from __future__ import annotations

import threading
import time

import streamlit as st

from core.errors import Stopped  # noqa: F401  (ui.jobs.Stopped: where the pages and tests find it)
from core.i18n import _
from ui.state import BATCH_JOB, JOB

POLL_SECONDS = 0.25  # how often the starting page redraws a running job (and so notices the reader leaving)


class Job:
    """A daemon thread running ``work`` once; ``result`` is what it returned, ``error`` what ended it otherwise."""

    page = ""  # the page that starts and follows this kind of job

    def __init__(self):
        self.result = None
        self.error = None
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.started = time.perf_counter()

    def _start(self, work, name: str):
        def run():
            try:
                self.result = work()
            except BaseException as error:  # kept for the page to say; Stopped included
                self.error = error
            finally:
                self.finished.set()

        threading.Thread(target=run, name=name, daemon=True).start()
        return self

    def check(self) -> None:
        """Called from the job's callbacks: ends the work at this point once the reader pressed Stop."""
        if self.stop.is_set():
            raise Stopped("stopped by the reader before it ended")

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    @property
    def stopped(self) -> bool:
        return isinstance(self.error, Stopped)

    def sidebar_line(self) -> str:
        """What the sidebar says while it runs."""
        raise NotImplementedError

    def adopt(self) -> None:
        """Put the result where the pages read it (session state); called once, when it ended well."""
        raise NotImplementedError


KEYS = (JOB, BATCH_JOB)  # the session-state keys jobs are kept under


def adopt_finished() -> None:
    """Every job of this session that ended well hands its result to the session and is forgotten (app.py calls this
    before any page runs); one stopped or failed stays until its page says what happened."""
    for key in KEYS:
        job = st.session_state.get(key)
        if job is not None and not job.running and job.error is None:
            job.adopt()
            del st.session_state[key]


def jobs_elsewhere(page_path: str) -> list[Job]:
    """This session's jobs started by pages other than ``page_path`` (a page's url path, e.g. "train")."""
    jobs = [st.session_state[k] for k in KEYS if k in st.session_state]
    return [j for j in jobs if j.page.rsplit("/", 1)[-1].removesuffix(".py") != page_path]


def sidebar_status(jobs: list[Job]) -> None:
    """In the sidebar of a page other than the one following them: how far each job is, redrawn every two seconds; a
    job that ended well reruns the page (app.py then takes its result), one that ended otherwise points to its page."""
    if not jobs:
        return

    @st.fragment(run_every=2.0)
    def status():
        for job in jobs:
            if job.running:
                st.info(job.sidebar_line(), icon=":material/hourglass_top:")
            elif job.error is None:
                st.rerun()
            else:
                st.warning(_("Ended without results; its page says why."), icon=":material/warning:")
            st.page_link(job.page, label=_("Open it"), icon=":material/arrow_forward:")

    with st.sidebar:
        status()
