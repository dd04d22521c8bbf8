"""The message catalogue: every sentence the code can show has its Korean, with the same fields; sentences made in one
place follow the reader's language where they are shown; the CLI and other threads stay English."""
import pickle
import string
import threading
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.i18n import KOREAN, Text, joined, language, pick_language, po_path, tr, use_language
from core.i18n.formats import date_axis, number, when

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "Text": None, "ngettext": (1, 2)}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    use_language("en")


def extracted() -> set:
    """Every message id the code marks, found the way `make messages` finds them."""
    method_map = [("app.py", "python"), ("pages/**.py", "python"), ("ui/**.py", "python"), ("core/**.py", "python")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue():
    with open(po_path(KOREAN), "rb") as handle:
        return read_po(handle, locale=KOREAN)


def fields(text: str) -> list[tuple[str, str]]:
    """The distinct {name:spec} fields of a message, sorted (a translation may use one twice)."""
    return sorted({(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None})


def test_every_message_in_the_code_has_its_korean():
    po = catalogue()
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in po if m.id}
    code = extracted()
    missing = sorted(m for m in code if not (translated.get(m) if not isinstance(translated.get(m), tuple) else translated[m][0]))
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"
    unused = sorted(set(translated) - code)
    assert unused == [], f"messages no code shows any more (run `make messages`): {unused[:10]}"


def test_korean_keeps_every_field_of_each_message():
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert fields(text) == fields(ids[0]), (ids[0], text)


def sample_value(spec: str):
    return 1234.5 if any(c in spec for c in "efg%,") else 3 if spec.endswith("d") else "x"


def test_every_korean_message_formats_with_the_fields_the_english_takes():
    """A field renamed or a format spec broken in the Korean would raise here, not in front of a user."""
    use_language(KOREAN)
    for message in catalogue():
        if not message.id or isinstance(message.id, tuple):
            continue
        values = {name: sample_value(spec) for name, spec in fields(message.id)}
        english = message.id.format(**values)
        shown = str(Text(message.id, **values).translated())
        assert shown == message.string.format(**values) and (shown != english or not any(ch.isalpha() for ch in english)
                                                            or message.string == message.id), message.id


def test_a_text_is_english_to_code_and_korean_when_shown():
    text = Text("{count:,} missing value(s) in '{column}' filled with the previous value.", count=1200, column="사용량")
    assert text == "1,200 missing value(s) in '사용량' filled with the previous value."
    use_language(KOREAN)
    assert tr(text) == "'사용량'의 결측값 1,200개를 직전 값으로 채웠습니다."
    assert str(text).startswith("1,200 missing")  # code that reads it as a string (the CLI, logs) still sees English
    assert tr(ValueError(text)) == tr(text)  # an error made of it is shown in Korean too
    assert tr("an unknown sentence") == "an unknown sentence"  # user data passes through unchanged


def test_a_text_survives_pickling_and_json_with_its_fields():
    inner = Text("every {n} hours", n=6)
    text = Text("Frequency detected: {frequency}.", frequency=inner)
    for copy in (pickle.loads(pickle.dumps(text)), Text.from_json(text.to_json())):
        assert copy == text and copy.message == text.message
        use_language(KOREAN)
        assert tr(copy) == "감지한 빈도: 6시간마다."
        use_language("en")
    assert Text.from_json("saved before the catalogue") == "saved before the catalogue"


def test_joined_sentences_each_follow_the_language():
    both = joined([Text("Done"), "H7"])
    assert both == "Done; H7"
    use_language(KOREAN)
    assert tr(both) == "완료; H7"


@pytest.mark.parametrize("asked, browser, expected", [
    ("ko", None, "ko"), ("en", "ko-KR", "en"), (None, "ko-KR", "ko"), (None, "ko", "ko"), (None, "en-GB", "en"),
    ("fr", "ko_KR", "ko"), (None, None, "en"), ("", "de-DE", "en"),
])
def test_the_language_comes_from_the_url_then_the_browser_then_english(asked, browser, expected):
    assert pick_language(asked, browser) == expected


def test_each_thread_keeps_its_own_language():
    use_language(KOREAN)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(language()))
    worker.start()
    worker.join()
    assert seen == ["en"] and language() == KOREAN  # another session's thread, or the CLI, is not switched


def test_dates_and_numbers_are_written_for_the_locale():
    stamp = pd.Timestamp("2000-01-21 10:00")
    assert (when(stamp), when(pd.Timestamp("1960-03-01")), number(12345.678, 2)) == ("2000-01-21 10:00", "1960-03-01", "12,345.68")
    assert date_axis() == {}
    use_language(KOREAN)
    assert (when(stamp), when(pd.Timestamp("1960-03-01"))) == ("2000. 1. 21. 10:00", "1960. 3. 1.")
    assert when(17) == "17"  # a step of a series without dates stays a number
    assert "%Y년" in str(date_axis())
    # The hover shows a clock time only where the data have one (monthly data: never "00:00").
    monthly, hourly = pd.date_range("1958-01-01", periods=24, freq="MS"), pd.date_range("2000-01-01", periods=48, freq="h")
    assert date_axis(monthly)["hoverformat"] == "%Y년 %-m월 %-d일"
    assert date_axis(hourly)["hoverformat"] == "%Y년 %-m월 %-d일 %H:%M"
    assert date_axis(monthly.append(pd.DatetimeIndex(["1960-01-01 06:00"])))["hoverformat"].endswith("%H:%M")


def test_the_cli_speaks_english_from_the_same_catalogue(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "empty.csv"
    bad.write_text("")
    done = subprocess.run([sys.executable, "-m", "core", "forecast", str(bad), "--horizon", "3"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "The file 'empty.csv' is empty. Choose a file with a header row" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


GLOSSARY = {  # the terms Korean readers know from the material this app teaches from
    "forget gate": "삭제 게이트", "input gate": "입력 게이트", "output gate": "출력 게이트", "cell state": "셀 상태",
    "long-term dependenc": "장기 의존성", "vanish": "기울기 소실", "hidden state": "은닉 상태",
}


@pytest.mark.parametrize("english, korean", GLOSSARY.items())
def test_the_korean_uses_the_terms_readers_know(english, korean):
    uses = [m for m in catalogue() if m.id and not isinstance(m.id, tuple) and english in m.id.lower()]
    assert uses, f"no message speaks of {english!r}"
    assert [m.id[:60] for m in uses if korean not in m.string] == []
