"""Exact figures: counts are ints, shares and scores Fractions until shown."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction


def exact(value: int | float | str | Fraction | Decimal) -> Fraction:
    """A plan option such as 0.4 as the exact fraction the user meant (2/5, not 0.40000000000000002)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def parse_decimal(text: str, what: str) -> Fraction:
    """A plan figure as typed (``0.4``, ``1``, blank = 0), exactly; a Chinese message otherwise."""
    try:
        value = Fraction(Decimal(text.strip() or "0"))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what}“{text}”不是数字") from None
    if value < 0:
        raise ValueError(f"{what}不能为负数")
    return value


def share(part: int, whole: int) -> Fraction:
    """part / whole, with 0 for an empty whole (the caller flags that case)."""
    return Fraction(part, whole) if whole else Fraction(0)


def _rounded(value: Fraction, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding="ROUND_HALF_UP"
    )


def percent(value: Fraction, digits: int = 2) -> str:
    """``66.67%``: rounded half up, for display only."""
    return f"{_rounded(value * 100, digits)}%"


def decimal_text(value: Fraction, digits: int = 4) -> str:
    """A figure for display: ``27``, ``0.4`` when exact, else rounded: ``0.9061``."""
    if value.denominator == 1:
        return str(value.numerator)
    shown = _rounded(value, digits)
    if Fraction(shown) == value:
        return format(shown.normalize(), "f")
    return str(shown)
