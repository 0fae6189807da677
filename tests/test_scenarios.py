"""Every worked case of ``GONGTUI_SCENARIOS`` through the domain code (shared/scenarios/FORMAT.md).

Each ``*.json`` is one test. The folders come from the environment variable
``GONGTUI_SCENARIOS`` (several, separated by the OS path separator) or default
to ``../shared/scenarios`` beside the project. An unknown ``kind`` or a
malformed case fails loudly: it is never read as an invalid paper.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gongtui_desktop.domain.attendance import QuorumRule, quorum
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.counting import RoundSpec, count_round
from gongtui_desktop.domain.evaluation import (
    DIMENSIONS,
    CandidateRating,
    EvaluationForm,
    EvaluationOptions,
    RaterGroup,
    ThresholdRule,
    evaluate,
)
from gongtui_desktop.domain.nomination import ScoringMethod, Tally, Weights, rank_nominations
from gongtui_desktop.domain.numbers import exact
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark
from gongtui_desktop.domain.people import Discipline, MemberStatus, Person
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import Condition, ReviewConditions, review
from gongtui_desktop.domain.slate import check_slate
from gongtui_desktop.stroke_data import stroke_table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = PROJECT_ROOT.parent / "shared" / "scenarios"


def scenario_folders() -> list[Path]:
    configured = os.environ.get("GONGTUI_SCENARIOS")
    if configured:
        return [Path(part) for part in configured.split(os.pathsep) if part]
    return [DEFAULT_FOLDER]


def scenario_files() -> list[Path]:
    files: list[Path] = []
    for folder in scenario_folders():
        if not folder.is_dir():
            raise FileNotFoundError(f"scenario folder {folder} does not exist")
        files.extend(sorted(folder.glob("*.json")))
    return files


def _config(case: dict[str, Any]) -> dict[str, Any]:
    config = case.get("config") or {}
    if not isinstance(config, dict):
        raise ValueError("config must be an object")
    return config


def _count_options(case: dict[str, Any]) -> CountOptions:
    config = _config(case)
    known = {"writein_without_mark", "tie_break_requires_majority", "quorum"}
    unknown = set(config) - known
    if unknown:
        raise ValueError(f"unknown config options {sorted(unknown)}")
    return CountOptions(
        writein_without_mark=WriteInWithoutMark(config.get("writein_without_mark", "ignore")),
        tie_break_requires_majority=bool(config.get("tie_break_requires_majority", False)),
    )


def run_count(case: dict[str, Any]) -> None:
    contest = case["contest"]
    candidates = tuple(contest["candidates"])
    present = int(case["present_voters"])
    spec = RoundSpec(
        seats=int(contest["seats"]),
        candidates=candidates,
        present_voters=present,
        papers_issued=int(case.get("ballots_issued", present)),
    )
    papers = [parse_shorthand(text, len(candidates)) for text in case["ballots"]]
    result = count_round(spec, papers, _count_options(case))
    expect = case["expect"]
    assert result.round_valid == expect["round_valid"]
    assert result.valid_papers == expect["valid_ballots"]
    assert result.invalid_papers == expect["invalid_ballots"]
    assert result.threshold == expect["threshold"]
    votes = {p.name: [p.approvals, p.against, p.abstain] for p in result.votes}
    assert votes == {name: list(v) for name, v in expect["votes"].items()}
    assert set(result.elected) == set(expect["elected"])
    assert set(result.tied) == set(expect["tied"])
    assert result.tie_seats == expect["tie_seats"]
    assert result.unfilled_seats == expect["unfilled_seats"]


def run_quorum(case: dict[str, Any]) -> None:
    rule = QuorumRule(_config(case).get("quorum", QuorumRule.MORE_THAN_FOUR_FIFTHS.value))
    result = quorum(int(case["expected"]), int(case["present_voters"]), rule)
    assert result.met == case["expect"]["met"]
    assert result.minimum_present == case["expect"]["minimum_present"]


def run_slate(case: dict[str, Any]) -> None:
    position = {"committee": Position.COMMITTEE, "secretary": Position.SECRETARY}[
        case["contest_type"]
    ]
    result = check_slate(
        int(case["seats"]), int(case["candidates"]), position, bool(case["equal_approved"])
    )
    assert result.ok == case["expect"]["ok"]
    assert result.minimum_candidates == case["expect"]["minimum_candidates"]


def run_stroke_order(case: dict[str, Any]) -> None:
    ordering = stroke_table().order(case["names"])
    assert list(ordering.names) == case["expect"]
    assert ordering.complete


def run_nomination(case: dict[str, Any]) -> None:
    weights_in = case.get("weights") or {}
    unknown = set(weights_in) - {"member", "mass", "organization", "self"}
    if unknown:
        raise ValueError(f"unknown weights {sorted(unknown)}")
    weights = Weights(
        member=exact(weights_in.get("member", 0)),
        mass=exact(weights_in.get("mass", 0)),
        organization=exact(weights_in.get("organization", 0)),
        self_nominated=exact(weights_in.get("self", 0)),
    )
    tallies = {}
    for name, tally in case["tallies"].items():
        unknown = set(tally) - {"member", "mass", "organization", "self"}
        if unknown:
            raise ValueError(f"unknown tally fields {sorted(unknown)} for {name}")
        tallies[name] = Tally(
            member=int(tally.get("member", 0)),
            mass=int(tally.get("mass", 0)),
            organization=bool(tally.get("organization", False)),
            self_nominated=bool(tally.get("self", False)),
        )
    result = rank_nominations(
        tallies,
        seats=int(case["seats"]),
        ratio=exact(case["ratio"]),
        method=ScoringMethod(case["method"]),
        weights=weights,
        member_forms=int(case["forms"].get("member", 0)),
        mass_forms=int(case["forms"].get("mass", 0)),
    )
    expect = case["expect"]
    assert set(result.scores) == set(expect["scores"])
    for name, wanted in expect["scores"].items():
        assert math.isclose(float(result.scores[name].value), wanted, rel_tol=0, abs_tol=1e-9), name
    assert result.shortlist.size == expect["shortlist_size"]
    assert set(result.shortlist.chosen) == set(expect["shortlist"])


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def run_eligibility(case: dict[str, Any]) -> None:
    conditions_in = case["conditions"]
    unknown = set(conditions_in) - {c.value for c in Condition}
    if unknown:
        raise ValueError(f"unknown conditions {sorted(unknown)}")
    conditions = ReviewConditions(
        require_full_member=bool(conditions_in.get("require_full_member", False)),
        require_full_rights=bool(conditions_in.get("require_full_rights", False)),
        min_party_years=conditions_in.get("min_party_years"),
        max_age=conditions_in.get("max_age"),
        require_local_relation=bool(conditions_in.get("require_local_relation", False)),
    )
    raw = case["person"]
    person = Person(
        key="case",
        name="case",
        status=MemberStatus(raw["status"]),
        discipline=Discipline(raw.get("discipline") or "none"),
        birth=_date(raw.get("birth")),
        joined=_date(raw.get("joined")),
        confirmed=_date(raw.get("confirmed")),
        local_relation=bool(raw.get("local_relation", True)),
    )
    result = review(person, conditions, date.fromisoformat(case["reference_date"]))
    assert result.eligible == case["expect"]["eligible"]
    assert {c.value for c in result.failed} == set(case["expect"]["failed"])


def run_evaluation(case: dict[str, Any]) -> None:
    options = EvaluationOptions(
        threshold=exact(case["threshold"]),
        threshold_rule=ThresholdRule(case["threshold_rule"]),
        veto=bool(case["veto"]),
    )
    candidates: list[str] = []
    forms = []
    for raw in case["forms"]:
        ratings = {}
        for name, grades in raw.items():
            if len(grades) != len(DIMENSIONS):
                raise ValueError(f"{name}: {grades!r} must have {len(DIMENSIONS)} grades")
            ratings[name] = CandidateRating(tuple(options.parse_grade(g) for g in grades))
            if name not in candidates:
                candidates.append(name)
        forms.append(EvaluationForm(RaterGroup.MEMBER, ratings))
    result = evaluate(candidates, forms, options, seats=1)
    expect = case["expect"]
    assert set(candidates) == set(expect["excellent_share"])
    for name, shares in expect["excellent_share"].items():
        got = result.of(name).excellent_shares
        assert len(got) == len(shares)
        for mine, wanted in zip(got, shares, strict=True):
            assert math.isclose(float(mine), wanted, abs_tol=1e-9), name
    assert set(result.disqualified) == set(expect["disqualified"])
    assert set(result.qualified) == set(expect["qualified"])


RUNNERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "count": run_count,
    "quorum": run_quorum,
    "slate": run_slate,
    "stroke_order": run_stroke_order,
    "nomination": run_nomination,
    "eligibility": run_eligibility,
    "evaluation": run_evaluation,
}


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_scenario(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    kind = case.get("kind")
    if kind not in RUNNERS:
        pytest.fail(f"{path.name}: unknown scenario kind {kind!r}")
    assert case.get("id") == path.stem, f"{path.name}: id {case.get('id')!r} differs from file name"
    RUNNERS[kind](case)


def test_there_are_scenarios() -> None:
    assert scenario_files(), "no scenario files found"
