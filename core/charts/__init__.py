"""Plotly figure builders: pure functions from data to figures, no Streamlit."""
