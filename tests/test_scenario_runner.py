"""The scenario runner itself: folders from the environment, loud failures on bad cases."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import test_scenarios as runner

COUNT_CASE = {
    "kind": "count",
    "id": "tiny",
    "rules": ["R5"],
    "contest": {"title": "委员", "seats": 1, "candidates": ["甲", "乙"]},
    "present_voters": 3,
    "ballots": ["O-", "O-", "-O"],
    "expect": {
        "round_valid": True,
        "valid_ballots": 3,
        "invalid_ballots": 0,
        "threshold": 2,
        "votes": {"甲": [2, 0, 1], "乙": [1, 0, 2]},
        "elected": ["甲"],
        "tied": [],
        "tie_seats": 0,
        "unfilled_seats": 0,
    },
}


def write(folder: Path, case: dict[str, object]) -> Path:
    path = folder / f"{case['id']}.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    return path


def test_folders_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write(one, COUNT_CASE)
    write(two, {**COUNT_CASE, "id": "tiny-2"})
    monkeypatch.setenv("GONGTUI_SCENARIOS", f"{one}{os.pathsep}{two}")
    assert [p.name for p in runner.scenario_files()] == ["tiny.json", "tiny-2.json"]
    monkeypatch.delenv("GONGTUI_SCENARIOS")
    assert runner.scenario_folders() == [runner.DEFAULT_FOLDER]


def test_a_good_case_passes_and_a_wrong_answer_fails(tmp_path: Path) -> None:
    runner.test_scenario(write(tmp_path, COUNT_CASE))
    wrong = {**COUNT_CASE, "id": "wrong", "expect": {**COUNT_CASE["expect"], "elected": ["乙"]}}
    with pytest.raises(AssertionError):
        runner.test_scenario(write(tmp_path, wrong))


def test_unknown_kind_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="unknown scenario kind"):
        runner.test_scenario(write(tmp_path, {**COUNT_CASE, "id": "odd", "kind": "lottery"}))


def test_malformed_paper_is_an_error_of_the_case(tmp_path: Path) -> None:
    bad = {**COUNT_CASE, "id": "bad", "ballots": ["O-", "O", "-O"]}
    with pytest.raises(ValueError, match="标记"):
        runner.test_scenario(write(tmp_path, bad))
    with pytest.raises(KeyError):
        runner.test_scenario(write(tmp_path, {"kind": "quorum", "id": "q", "expect": {}}))
