"""Loads the pinyin initials in ``resources/pinyin`` (issue #5); the domain reads no files."""

from __future__ import annotations

from functools import cache
from importlib import resources

from gongtui_desktop.domain.name_search import InitialsTable

INITIALS_FILE = "pinyin/initials.tsv"


def _read(name: str) -> str:
    return resources.files("gongtui_desktop.resources").joinpath(name).read_text(encoding="utf-8")


@cache
def initials_table() -> InitialsTable:
    """The packaged pinyin initials table, read once per process."""
    return InitialsTable.parse(_read(INITIALS_FILE))
