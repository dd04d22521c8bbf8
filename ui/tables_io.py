"""Reading uploaded and sample tables once per content (st.cache_data), for every page that reads files."""
import streamlit as st

from core.data import detect_columns, read_table


@st.cache_data(show_spinner="Reading the file…", max_entries=8)
def load_table(data: bytes, filename: str, decimal: str | None = None):
    """The parsed table and the detected column roles; a DataError says what is wrong with the file."""
    frame = read_table(data, filename, decimal)
    return frame, detect_columns(frame)
