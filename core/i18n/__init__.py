"""The one message catalogue: every sentence a user reads, in English or Korean.

English sentences are the message ids (gettext's convention); ``locale/ko/LC_MESSAGES/lstm_lens.po`` holds their
Korean. The language is per thread of work (a ``ContextVar``): each Streamlit run sets its session's language before
any page draws, and the CLI never sets one, so it stays English.

- ``_("…")`` translates now, for text drawn at once.
- ``Text("… {name} …", name=…)`` translates when shown: for sentences made in one place and shown in another
  (errors, the cleaning report, results kept in a cache or a saved run), so they follow the reader's language.
- ``N_("…")`` only marks a module-level constant for extraction; translate it with ``_(CONSTANT)`` where it is shown.
"""
from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

ENGLISH, KOREAN = "en", "ko"
LANGUAGES = {ENGLISH: "English", KOREAN: "한국어"}
DOMAIN = "lstm_lens"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: ContextVar[str] = ContextVar("language", default=ENGLISH)


def language() -> str:
    """The language text is drawn in now: "en" or "ko"."""
    return _language.get()


def use_language(code: str | None) -> str:
    """Draw the following text of this thread in ``code`` (anything unknown means English); returns the one used."""
    chosen = code if code in LANGUAGES else ENGLISH
    _language.set(chosen)
    return chosen


def pick_language(asked: str | None, browser_locale: str | None) -> str:
    """The language to show: the one asked for (the URL's ``?lang=``) if known, else the browser's ("ko-KR" → ko),
    else English."""
    if asked in LANGUAGES:
        return asked
    base = (browser_locale or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else ENGLISH


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue for ``code``, compiled in memory from its .po (no compiled file to keep in step with it)."""
    path = po_path(code)
    if code == ENGLISH or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` in the current language (an empty string stays empty: gettext would return the catalogue's header)."""
    return translations(language()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (module-level constants)."""
    return message


class Text(str):
    """A sentence made in one place and shown in another: it *is* its English string (so the CLI, logs and code that
    reads it as a string see English), and ``tr(text)`` shows it in the reader's language when it is drawn.

    ``Text("{n:,} rows read.", n=3)``; its fields may be Texts too. Picklable (caches, results), and
    ``to_json``/``from_json`` keep its message id and fields in saved runs.
    """

    def __new__(cls, message: str, /, **fields):
        english = message.format(**{k: v.english() if isinstance(v, Text) else v for k, v in fields.items()})
        self = super().__new__(cls, english)
        self.message, self.fields = message, fields
        return self

    def english(self) -> str:
        return str.__str__(self)

    def translated(self) -> str:
        fields = {k: v.translated() if isinstance(v, Text) else v for k, v in self.fields.items()}
        return _(self.message).format(**fields)

    def __reduce__(self):
        return _text_from_parts, (self.message, self.fields)

    def to_json(self) -> dict:
        """Its message id and fields as JSON values (NumPy numbers as numbers, anything else as its text)."""
        return {"message": self.message, "fields": {k: _json_field(v) for k, v in self.fields.items()}}

    @classmethod
    def from_json(cls, data) -> str:
        if isinstance(data, str):  # written before the catalogue (or a plain string): kept as written
            return data
        return cls(data["message"], **{k: cls.from_json(v) if isinstance(v, dict) else v for k, v in data["fields"].items()})


def messages_json(lines) -> list:
    """Sentences as saved with a run or a batch: each ``Text`` as its message id and fields, any other as its text."""
    return [line.to_json() if isinstance(line, Text) else str(line) for line in lines]


def from_messages(saved: list, messages) -> list:
    """Saved sentences back as ``Text`` where their messages were kept for every line, else as saved (files written
    before the catalogue)."""
    return [Text.from_json(m) for m in messages] if messages and len(messages) == len(saved) else list(saved)


def _json_field(value):
    if isinstance(value, Text):
        return value.to_json()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # NumPy scalars
        value = value.item()
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _text_from_parts(message: str, fields: dict) -> Text:
    return Text(message, **fields)


def table(rows: list[dict], columns=None):
    """A DataFrame of ``rows`` whose text columns keep their ``Text`` cells (pandas would store them as plain strings,
    and a page could no longer show them in the reader's language)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for name in frame.columns:
        cells = [row.get(name) if isinstance(row, dict) else None for row in rows]
        if any(isinstance(cell, Text) for cell in cells):
            frame[name] = pd.Series(cells, index=frame.index, dtype=object)
    return frame


def joined(parts, separator: str = "; ") -> Text:
    """Several sentences (plain or ``Text``) as one ``Text``, each part still shown in the reader's language."""
    parts = list(parts)
    return Text(separator.join("{p%d}" % i for i in range(len(parts))), **{f"p{i}": part for i, part in enumerate(parts)})


def message_of(error: BaseException) -> str:
    """An error's sentence, kept as a ``Text`` when it is one (so it can still be shown in another language)."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], Text) else str(error)


def tr(text) -> str:
    """What the reader sees: a ``Text`` or an error made of one in the current language; any other string through
    the catalogue (a marked constant), or as it is when the catalogue does not have it (user data)."""
    if isinstance(text, BaseException):
        text = message_of(text)
    if isinstance(text, Text):
        return text.translated()
    return _(text) if isinstance(text, str) else str(text)
