"""The wizard's checks and the file it creates (R10, R11, R15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.new_election import (
    ContestDraft,
    check_drafts,
    create_election,
    split_names,
)
from gongtui_desktop.store.election_file import ElectionFile


def test_names_split_on_chinese_and_latin_separators() -> None:
    assert split_names("张三、李四，王五 赵六\n钱七;孙八") == (
        "张三",
        "李四",
        "王五",
        "赵六",
        "钱七",
        "孙八",
    )


def test_checks_name_each_problem() -> None:
    drafts = [
        ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
        ContestDraft(Position.COMMITTEE, 3, ("张三", "李四", "张三")),
        ContestDraft(Position.SECRETARY, 1, ("张三",)),
    ]
    problems = check_drafts(drafts)
    assert problems[0] == "第 1 项“书记”：第一项不能限定在前一项的当选人中产生 (R15)"
    assert "第 2 项“委员”：候选人姓名重复" in problems
    assert any(p.startswith("第 2 项“委员”：委员候选人应多于应选人数的20%") for p in problems)
    assert any("第 3 项“书记”" in p and "(R10)" in p for p in problems)
    assert check_drafts([ContestDraft(Position.SECRETARY, 1, ("张三",), equal_approved=True)]) == []


def test_created_file_orders_committee_by_strokes(tmp_path: Path) -> None:
    drafts = [
        ContestDraft(Position.COMMITTEE, 3, ("张三", "王五", "李四", "丁一"), title="支委会委员"),
        ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
    ]
    path = create_election(
        tmp_path / "新.gongtui",
        title="换届选举",
        organization="某党支部",
        higher_organization="机关党工委",
        meeting_date=date(2026, 11, 24),
        drafts=drafts,
        plan=PlanOptions(),
        operator="甲",
    )
    with ElectionFile.open(path, read_only=True) as election:
        contests = election.contests()
        assert contests[0].contest.candidates == ("丁一", "王五", "李四", "张三")
        assert (
            contests[1].restricted_to_id == contests[0].id and contests[1].contest.candidates == ()
        )
        assert len(election.people()) == 4


def test_invalid_drafts_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="R10"):
        create_election(
            tmp_path / "x.gongtui",
            title="t",
            organization="o",
            higher_organization="",
            meeting_date=date(2026, 1, 1),
            drafts=[ContestDraft(Position.COMMITTEE, 3, ("甲", "乙", "丙"))],
            plan=PlanOptions(),
            operator="甲",
        )
    assert list(tmp_path.iterdir()) == []
