"""Whole years between dates, as used by N4 (age, party standing)."""

from __future__ import annotations

from datetime import date


def anniversary(start: date, year: int) -> date:
    """The anniversary of ``start`` in ``year``; 29 February falls on 1 March in a common year."""
    try:
        return start.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def whole_years(start: date, reference: date) -> int:
    """Completed years from ``start`` to ``reference``: the anniversary day itself counts (N4)."""
    years = reference.year - start.year
    if reference < anniversary(start, reference.year):
        years -= 1
    return years


def format_chinese_date(value: date) -> str:
    """``2026年11月24日``, the form every document and screen uses."""
    return f"{value.year}年{value.month}月{value.day}日"
