"""Dates as people type them in rosters, and Excel date serials."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, timedelta

_SEP = r"\s*([-/.])\s*"
_FULL = re.compile(
    r"(\d{4})" + _SEP + r"(\d{1,2})\s*\2\s*(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_FULL_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_MONTH = re.compile(r"(\d{4})" + _SEP + r"(\d{1,2})")
_MONTH_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")

ACCEPTED_FORMS = (
    "2020-01-01、2020/1/1、2020.1.1、2020年1月1日、20200101，或只写年月：2020年1月、2020.01"
)

# Excel's 1900 date system: serial 1 is 1 January 1900, and serial 60 is 29 February 1900,
# a day that never existed (kept for Lotus 1-2-3 compatibility).
_EXCEL_BEFORE_MARCH = date(1899, 12, 31)
_EXCEL_FROM_MARCH = date(1899, 12, 30)
_EXCEL_LAST = 2_958_465  # 9999-12-31


def _build(text: str, year: str, month: str, day: str | None) -> date:
    try:
        return date(int(year), int(month), int(day) if day is not None else 1)
    except ValueError:
        raise ValueError(f"日期“{text}”不存在，请检查年、月、日") from None


def parse_date_text(value: str) -> date | None:
    """A typed date; month precision gives the first of the month; blank gives ``None``.

    Full-width digits and punctuation count as their half-width forms.
    """
    text = value.strip()
    if not text:
        return None
    normalized = unicodedata.normalize("NFKC", text).strip()
    for pattern in (_FULL, _FULL_CHINESE):
        if match := pattern.fullmatch(normalized):
            groups = match.groups()
            if pattern is _FULL:
                return _build(text, groups[0], groups[2], groups[3])
            return _build(text, *groups)
    if match := _MONTH.fullmatch(normalized):
        return _build(text, match[1], match[3], None)
    if match := _MONTH_CHINESE.fullmatch(normalized):
        return _build(text, match[1], match[2], None)
    if match := _COMPACT.fullmatch(normalized):
        return _build(text, *match.groups())
    raise ValueError(f"无法识别的日期“{text}”，可写成 {ACCEPTED_FORMS}")


def excel_serial_to_date(n: float) -> date:
    """The day of an Excel serial number (1900 date system); a time of day is dropped."""
    if isinstance(n, bool) or not math.isfinite(n):
        raise ValueError(f"“{n}”不是 Excel 日期")
    serial = math.floor(n)
    if serial == 60:
        raise ValueError("Excel 日期序号 60 是不存在的 1900年2月29日")
    if serial < 1 or serial > _EXCEL_LAST:
        raise ValueError(f"“{n}”超出了 Excel 日期的范围")
    start = _EXCEL_BEFORE_MARCH if serial < 60 else _EXCEL_FROM_MARCH
    return start + timedelta(days=serial)
