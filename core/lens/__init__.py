"""Looking inside a trained LSTM: the exact NumPy gate replay and probes of what its forecast reacts to."""
