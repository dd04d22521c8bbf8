"""Where per-series work runs: in this process, on a local Dask cluster, or on a Dask scheduler the user names.

``scheduler`` is one of ``"serial"`` (this process, one series after another), ``"local"`` (a Dask
LocalCluster of worker processes on this machine) or an address such as ``tcp://10.0.0.5:8786``.
The app (a server others may reach) connects only to addresses an administrator lists in
``LSTM_LENS_SCHEDULERS`` (comma-separated); with none listed it refuses every remote scheduler. The CLI,
run by the machine's own user, accepts any TCP address unless that list is set.
"""
from __future__ import annotations

import os
import re

from core.errors import DataError
from core.i18n import Text

SERIAL, LOCAL = "serial", "local"
_NO_HTTP = "core.batch.no_http"
_ADDRESS = re.compile(r"^tcp://[\w.\-\[\]]+:\d{1,5}$")  # the transport this app's workers and scheduler speak


def check_scheduler(scheduler: str | None, *, listed_only: bool = False) -> str:
    """The normalised setting, or a sentence saying what a valid one looks like.

    ``listed_only``: remote schedulers must be listed in LSTM_LENS_SCHEDULERS (the app's rule)."""
    text = (scheduler or LOCAL).strip()
    if text.lower() in (SERIAL, LOCAL):
        return text.lower()
    match = _ADDRESS.match(text)
    if not match or not 0 < int(text.rsplit(":", 1)[1]) < 65536:
        raise DataError(Text("'{text}' is not a Dask scheduler address this app can use. Use serial, local, or a TCP address "
                             "with its port, like tcp://10.0.0.5:8786.", text=text[:80]))
    allowed = [a.strip() for a in os.environ.get("LSTM_LENS_SCHEDULERS", "").split(",") if a.strip()]
    if listed_only and not allowed:
        raise DataError(Text("This server runs batches only on its own local cluster: an administrator has not listed any "
                             "remote Dask scheduler (LSTM_LENS_SCHEDULERS). Choose the local cluster, or use the command "
                             "line."))
    if allowed and text not in allowed:
        raise DataError(Text("This server connects only to the Dask schedulers its administrator listed ({join}); {text} is "
                             "not one of them.", join=', '.join(allowed), text=text[:80]))
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
        from distributed.security import Security

        # TLS with a certificate made for this cluster alone: only clients holding it (this process) can connect,
        # so another local user cannot send the workers code. No HTTP server stays open (see no_http.py).
        # One thread per worker process: ARIMA and Keras each already use the cores they are given.
        security = Security.temporary()
        cluster = LocalCluster(n_workers=workers or local_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
                               security=security, dashboard_address=None, silence_logs=40,
                               scheduler_kwargs={"preload": [_NO_HTTP]}, preload=[_NO_HTTP])
        return Client(cluster, security=security)
    try:
        _reachable(scheduler)  # refused or unknown: said at once, not after the client's 10 s of retries
        return Client(scheduler, timeout="10s")
    except Exception as error:  # refused, timed out, or not a Dask scheduler at all: a sentence, never a traceback
        raise DataError(Text("Could not reach the Dask scheduler at {scheduler} ({name}). Check that it is running and "
                             "reachable, or choose the local cluster.", scheduler=scheduler, name=type(error).__name__)) from None


def _reachable(address: str, seconds: float = 5.0) -> None:
    """Open and close a TCP connection to ``tcp://host:port``; an OSError (refused, no route, unknown host) if none."""
    import socket

    host, port = address[len("tcp://"):].rsplit(":", 1)
    socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()


def close_client(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
