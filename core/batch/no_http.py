"""A Dask preload that closes a scheduler's or worker's HTTP server as soon as it has started.

Dask always starts one (on 8787 for a scheduler, a random port for each worker), even with the dashboard
off; LSTM Lens uses neither the dashboard nor the HTTP routes, so its local cluster serves nothing over HTTP.
Loaded by name through ``preload=["core.batch.no_http"]``; Dask calls ``dask_setup`` right after the
server's HTTP listener opens and before it takes work.
"""


def dask_setup(server) -> None:
    http = getattr(server, "http_server", None)
    if http is not None:
        http.stop()  # closes the listening sockets
    getattr(server, "services", {}).pop("dashboard", None)
