"""Where per-series work runs: in this process, on a local Dask cluster, or on a Dask scheduler the user names.

``scheduler`` is one of ``"serial"`` (this process, one series after another), ``"local"`` (a Dask
LocalCluster of worker processes on this machine) or an address such as ``tcp://10.0.0.5:8786``.
A shared deployment can restrict addresses to a list in ``LSTM_LENS_SCHEDULERS`` (comma-separated).
"""
from __future__ import annotations

import os
import re

from core.errors import DataError

SERIAL, LOCAL = "serial", "local"
_ADDRESS = re.compile(r"^tcp://[\w.\-\[\]]+:\d{1,5}$")  # the transport this app's workers and scheduler speak


def check_scheduler(scheduler: str | None) -> str:
    """The normalised setting, or a sentence saying what a valid one looks like."""
    text = (scheduler or LOCAL).strip()
    if text.lower() in (SERIAL, LOCAL):
        return text.lower()
    if not _ADDRESS.match(text):
        raise DataError(f"'{text[:80]}' is not a Dask scheduler address this app can use. Use serial, local, or a TCP address "
                        "with its port, like tcp://10.0.0.5:8786.")
    allowed = [a.strip() for a in os.environ.get("LSTM_LENS_SCHEDULERS", "").split(",") if a.strip()]
    if allowed and text not in allowed:
        raise DataError(f"This server connects only to the Dask schedulers its administrator listed ({', '.join(allowed)}); "
                        f"{text[:80]} is not one of them.")
    return text


def local_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def open_client(scheduler: str, workers: int | None = None):
    """A dask.distributed Client for 'local' or an address; the caller closes it (and its cluster)."""
    from distributed import Client, LocalCluster

    scheduler = check_scheduler(scheduler)
    if scheduler == SERIAL:
        raise ValueError("serial work needs no client")
    if scheduler == LOCAL:
        # One thread per worker process: ARIMA and Keras each already use the cores they are given.
        cluster = LocalCluster(n_workers=workers or local_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
        return Client(cluster)
    try:
        return Client(scheduler, timeout="10s")
    except Exception as error:  # refused, timed out, or not a Dask scheduler at all: a sentence, never a traceback
        raise DataError(f"Could not reach the Dask scheduler at {scheduler} ({type(error).__name__}). "
                        "Check that it is running and reachable, or choose the local cluster.") from None


def close_client(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
