"""Reading uploaded and sample tables once per content (st.cache_data), for every page that reads files."""
import streamlit as st

from core.data import detect_columns, read_table
from core.i18n import _


@st.cache_data(show_spinner=False, max_entries=8)
def read_cached(data: bytes, filename: str, decimal: str | None = None):
    frame = read_table(data, filename, decimal)
    return frame, detect_columns(frame)


def load_table(data: bytes, filename: str, decimal: str | None = None):
    """The parsed table and the detected column roles (read once per content); a DataError says what is wrong."""
    with st.spinner(_("Reading the file…")):
        return read_cached(data, filename, decimal)
