"""Errors a user can cause and fix. Pages show them with st.error; the CLI prints one line and exits 2."""


class DataError(ValueError):
    """Input a person can fix; the message says what is wrong and what to do."""
