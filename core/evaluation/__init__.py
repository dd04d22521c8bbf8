"""Scoring forecasts: M4-exact metrics, the holdout split, rolling-origin backtests and the leaderboard."""
