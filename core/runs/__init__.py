"""What a training run is, how it is saved (SQLite + model files), exported and re-imported."""
