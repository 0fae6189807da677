"""Fixtures for the election file tests: real files on disk, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gongtui_desktop.store.election_file import ElectionFile
from tests.store.sample import build_sample


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "统计局.gongtui"
    build_sample(path).close()
    return path


@pytest.fixture
def sample(sample_path: Path) -> Iterator[ElectionFile]:
    election = ElectionFile.open(sample_path)
    yield election
    election.close()
