"""Loads the pinyin initials in ``resources/pinyin`` (issue #5); the domain reads no files."""

from __future__ import annotations

from functools import cache

from gongtui_desktop.domain.name_search import InitialsTable
from gongtui_desktop.resource_files import read_resource

INITIALS_FILE = "pinyin/initials.tsv"


def _read(name: str) -> str:
    return read_resource(name)


@cache
def initials_table() -> InitialsTable:
    """The packaged pinyin initials table, read once per process."""
    return InitialsTable.parse(_read(INITIALS_FILE))
