"""Loads the stroke table shipped in ``resources/strokes`` (R11); the domain never reads files."""

from __future__ import annotations

from functools import cache

from gongtui_desktop.domain.strokes import StrokeTable
from gongtui_desktop.resource_files import read_resource

STROKE_FILE = "strokes/strokes.tsv"
TONGYONG_FILE = "strokes/tongyong_guifan_8105.txt"


def _read(name: str) -> str:
    return read_resource(name)


@cache
def stroke_table() -> StrokeTable:
    """The packaged stroke table, read once per process."""
    return StrokeTable.parse(_read(STROKE_FILE))


def tongyong_characters() -> tuple[str, ...]:
    """The 8,105 characters of 通用规范汉字表 (2013), in their official order."""
    lines = _read(TONGYONG_FILE).splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
