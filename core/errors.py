"""Errors a user can cause and fix. Pages show them with st.error; the CLI prints one line and exits 2."""


class DataError(ValueError):
    """Input a person can fix; the message says what is wrong and what to do."""


class Stopped(BaseException):
    """Raised in a training's or batch's thread when the reader presses Stop; a BaseException, so that no model's own
    error handling (which keeps the other models or series going) catches it. The run history records it as stopped."""
