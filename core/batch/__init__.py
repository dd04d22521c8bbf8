"""Many series at once: per-series models on Dask or serially, global models once over the panel."""
