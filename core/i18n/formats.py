"""Numbers and dates written for the reader's language (Babel's CLDR data), and Plotly's date axes to match."""
from __future__ import annotations

import numpy as np
import pandas as pd
from babel.dates import format_datetime
from babel.numbers import format_decimal

from core.i18n import KOREAN, language

_LOCALES = {"en": "en_US", "ko": "ko_KR"}


def _locale() -> str:
    return _LOCALES.get(language(), "en_US")


def number(value, digits: int | None = None) -> str:
    """``value`` with the locale's grouping and decimal mark; ``digits`` fixes the decimals shown."""
    if digits is None:
        return format_decimal(value, locale=_locale())
    return format_decimal(round(float(value), digits), format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=_locale())


# English keeps ISO 8601, as analysts write dates in files; Korean uses its own short form (CLDR: y. M. d.).
_PATTERNS = {"en_US": ("yyyy-MM-dd", "yyyy-MM-dd HH:mm"), "ko_KR": ("y. M. d.", "y. M. d. HH:mm")}


def when(stamp) -> str:
    """A timestamp as the locale writes it (the date alone at midnight); step numbers of a series without dates,
    and anything that is not a time, as they are."""
    if isinstance(stamp, (int, float, np.integer, np.floating)):
        return str(stamp)
    try:
        stamp = pd.Timestamp(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if stamp.tz is not None:
        stamp = stamp.tz_convert(None)
    day, minute = _PATTERNS[_locale()]
    midnight = (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0)
    return format_datetime(stamp.floor("s").to_pydatetime(), format=day if midnight else minute, locale=_locale())


# Plotly draws date ticks itself (d3's English month names). In Korean, each zoom level gets a Korean pattern.
_KOREAN_TICKS = [
    dict(dtickrange=[None, 1000], value="%H:%M:%S.%L"),
    dict(dtickrange=[1000, 60000], value="%H:%M:%S"),
    dict(dtickrange=[60000, 86400000], value="%-m월 %-d일 %H:%M"),
    dict(dtickrange=[86400000, "M1"], value="%-m월 %-d일"),
    dict(dtickrange=["M1", "M12"], value="%Y년 %-m월"),
    dict(dtickrange=["M12", None], value="%Y년"),
]


def date_axis(dates=()) -> dict:
    """Layout settings for a date x axis in the current language (nothing to change in English: Plotly's own hover
    drops the clock at midnight). ``dates``: the axis' values; when every one is at midnight (daily, weekly, monthly
    data) the hover shows the day without a clock time, as ``when`` writes them."""
    if language() != KOREAN:
        return {}
    stamps = pd.DatetimeIndex(dates)
    days_only = len(stamps) > 0 and bool((stamps == stamps.normalize()).all())
    return dict(tickformatstops=_KOREAN_TICKS, hoverformat="%Y년 %-m월 %-d일" + ("" if days_only else " %H:%M"))
