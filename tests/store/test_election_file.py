"""The election file stores the whole workflow and gives back the domain's values."""

from __future__ import annotations

import sqlite3
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from gongtui_desktop.domain.attendance import ExclusionReason, QuorumRule
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.contest import contest_progress
from gongtui_desktop.domain.counting import RoundKind, count_round
from gongtui_desktop.domain.evaluation import EvaluationOptions, ThresholdRule
from gongtui_desktop.domain.nomination import ScoringMethod, Weights
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark
from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.plan import NominationSettings, PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import ReviewConditions
from gongtui_desktop.domain.scrutineers import ScrutineerRole
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError, ReadOnlyError
from gongtui_desktop.store.records import PaperState, RoundStatus
from gongtui_desktop.store.verify import verify_file
from tests.store.sample import COMMITTEE, FIRST_ROUND, OPERATOR


def test_pragmas_guard_durability(sample: ElectionFile) -> None:
    connection = sample._connection
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    strict = connection.execute(
        "SELECT COUNT(*) FROM pragma_table_list WHERE strict = 0 AND schema = 'main' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()[0]
    assert strict == 0


def test_check_constraints_refuse_values_outside_their_set(sample: ElectionFile) -> None:
    connection = sample._connection
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT INTO people (name, status) VALUES ('甲', 'member')")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE plan SET quorum = 'half'")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "INSERT INTO papers (round_id, entry_no, marks, operator, entered_at) VALUES (1, 99, 'OY', 'x', 'now')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="不能修改"):
        connection.execute("UPDATE papers SET marks = '----' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        connection.execute("DELETE FROM audit_log WHERE seq = 1")


def test_the_workflow_reads_back(sample: ElectionFile) -> None:
    details = sample.election_details()
    assert details["organization"] == "区统计局党支部"
    people = {p.person.name: p for p in sample.people()}
    assert people["吴预备"].person.status is MemberStatus.PROBATIONARY
    assert people["张三"].person.confirmed == date(2006, 7, 1)
    assert sample.attendance("election")[people["孙八"].id] == "leave"
    assert sample.exclusions("election") == [
        (people["周九"].id, ExclusionReason.ABROAD, "区级机关党工委同意", "出国一年")
    ]
    assert sample.scrutineers() == [(people["钱七"].id, ScrutineerRole.CHIEF)]
    assert sample.form_counts("recommendation") == {"member": (9, 8)}
    assert sample.recommendation_forms() == [(1, "member", {Position.COMMITTEE: ["张三", "李四"]})]
    assert sample.review_decisions() == {
        (Position.COMMITTEE, people["张三"].id): (True, "符合条件")
    }
    forms = sample.evaluation_forms()
    assert len(forms) == 1 and set(forms[0].ratings) == {str(people[n].id) for n in COMMITTEE}
    assert sample.stage_status("recommendation") == "closed"
    contests = sample.contests()
    assert [c.contest.position for c in contests] == [Position.COMMITTEE, Position.SECRETARY]
    assert contests[1].restricted_to_id == contests[0].id


def test_plan_round_trips_every_option(tmp_path: Path) -> None:
    sample = ElectionFile.create(tmp_path / "p.gongtui", title="t", organization="o", operator="甲")
    assert sample.plan() == PlanOptions()
    plan = PlanOptions(
        quorum=QuorumRule.AT_LEAST_FOUR_FIFTHS,
        counting=CountOptions(WriteInWithoutMark.COUNT_AS_FOR, True),
        nomination=NominationSettings(
            ScoringMethod.WEIGHTED_RATE,
            Weights(Fraction(2, 5), Fraction(3, 10), Fraction(1, 5), Fraction(1, 10)),
            Fraction(1, 5),
        ),
        review=ReviewConditions(True, False, 3, 45, False),
        has_evaluation=False,
        evaluation=EvaluationOptions(
            threshold=Fraction(2, 3),
            threshold_rule=ThresholdRule.AT_LEAST,
            veto=False,
            labels=("优秀", "称职", "基本称职", "不称职"),
            points=(4, 3, 2, 1),
            weights=(Fraction(2), Fraction(1), Fraction(1), Fraction(1), Fraction(1, 2)),
            ratio=Fraction(1, 2),
            require_participation=True,
        ),
    )
    sample.set_plan(OPERATOR, plan)
    assert sample.plan() == plan
    sample.close()


def test_decided_results_do_not_follow_later_edits(sample: ElectionFile) -> None:
    committee = sample.contests()[0]
    before = sample.contest_progress(committee.id)
    changed = PlanOptions(counting=CountOptions(WriteInWithoutMark.COUNT_AS_FOR))
    with pytest.raises(ElectionFileError, match="不能再修改计票规则"):
        sample.set_plan(OPERATOR, changed)
    zhang = next(p for p in sample.people() if p.person.name == "张三")
    sample.update_person(OPERATOR, zhang.id, discipline="detained")
    assert sample.contest_progress(committee.id) == before
    sample.close()
    assert verify_file(sample.path).ok


def test_rounds_count_through_the_rules_engine(sample: ElectionFile) -> None:
    committee = sample.contests()[0]
    first, tie_break = sample.rounds(committee.id)
    assert (first.status, tie_break.status) == (RoundStatus.CONFIRMED, RoundStatus.CONFIRMED)
    assert tie_break.spec.kind is RoundKind.TIE_BREAK and tie_break.spec.candidates == (
        "王五",
        "赵六",
    )
    papers = [parse_shorthand(t, 4) for t in FIRST_ROUND]
    assert sample.count(first.id) == count_round(first.spec, papers)
    progress = sample.contest_progress(committee.id)
    assert progress.done and progress.elected == ("张三", "李四", "王五")
    assert progress == contest_progress(
        committee.contest, [sample.count(first.id), sample.count(tie_break.id)]
    )


def test_corrections_and_withdrawals_keep_history(sample: ElectionFile) -> None:
    first_round = sample.rounds(sample.contests()[0].id)[0]
    history = sample.paper_history(first_round.id)
    states = [(p.entry_no, p.state) for p in history]
    assert states[:2] == [(1, PaperState.CORRECTED), (1, PaperState.COUNTED)]
    assert states[-1] == (6, PaperState.WITHDRAWN)
    assert history[-1].paper.write_ins[0].name == "钱七"
    assert [p.entry_no for p in sample.papers(first_round.id)] == [1, 2, 3, 4, 5]


def test_entry_rules(tmp_path: Path) -> None:
    election = ElectionFile.create(
        tmp_path / "e.gongtui", title="选举", organization="支部", operator="甲"
    )
    contest = election.add_contest("甲", Position.COMMITTEE, 1, [(None, "张三"), (None, "李四")])
    round_id = election.open_round("甲", contest, present_voters=3, papers_issued=3)
    with pytest.raises(ElectionFileError, match="3 个标记"):
        election.enter_paper("甲", round_id, parse_shorthand("OO-", 3))
    with pytest.raises(ElectionFileError, match="操作员"):
        election.enter_paper(" ", round_id, parse_shorthand("O-", 2))
    election.enter_paper("甲", round_id, parse_shorthand("O-", 2))
    with pytest.raises(ElectionFileError, match="收回的选票数"):
        election.close_round("甲", round_id)
    election.set_papers_collected("甲", round_id, 2)
    with pytest.raises(ElectionFileError, match="已录入 1 张，收回 2 张"):
        election.close_round("甲", round_id)
    election.enter_paper("甲", round_id, parse_shorthand("O-", 2))
    assert election.close_round("甲", round_id).elected == ("张三",)
    with pytest.raises(ElectionFileError, match="不能再修改"):
        election.enter_paper("甲", round_id, parse_shorthand("O-", 2))
    election.reopen_round("甲", round_id, "发现录入错误")
    assert election.round(round_id).status is RoundStatus.OPEN
    assert election.stored_figures(round_id) is None
    assert election.audit_entries()[-1].action == "重新打开第 1 轮：发现录入错误"
    election.close()


def test_a_failed_action_leaves_nothing(sample: ElectionFile) -> None:
    before = (len(sample.people()), sample.audit_length, sample.chain_hash)
    with pytest.raises(sqlite3.IntegrityError):
        sample.add_people(
            OPERATOR,
            [{"name": "甲", "status": "full"}, {"name": " ", "status": "full"}],
            "导入名册",
        )
    assert (len(sample.people()), sample.audit_length, sample.chain_hash) == before
    sample.add_people(OPERATOR, [{"name": "甲", "status": "full"}], "导入名册")
    assert sample.audit_length == before[1] + 1


def test_candidate_is_refused_as_scrutineer(sample: ElectionFile) -> None:
    zhang = next(p for p in sample.people() if p.person.name == "张三")
    with pytest.raises(ElectionFileError, match="候选人，不能担任监票人"):
        sample.add_scrutineer(OPERATOR, zhang.id, ScrutineerRole.SCRUTINEER)


def test_write_in_without_rights_is_passed_over(tmp_path: Path) -> None:
    election = ElectionFile.create(
        tmp_path / "e.gongtui", title="选举", organization="支部", operator="甲"
    )
    probationary = election.add_person("甲", "吴预备", MemberStatus.PROBATIONARY)
    contest = election.add_contest("甲", Position.COMMITTEE, 1, [(None, "张三"), (None, "李四")])
    round_id = election.open_round("甲", contest, present_voters=3)
    for _ in range(3):
        election.enter_paper("甲", round_id, parse_shorthand("-- +吴预备", 2), [probationary])
    election.enter_paper("甲", round_id, parse_shorthand("-- +路人", 2))
    result = election.count(round_id)
    assert result.votes_of("吴预备").approvals == 3 and not result.votes_of("吴预备").electable
    assert not result.votes_of("路人").electable
    assert result.elected == () and result.unfilled_seats == 1
    election.close()


def test_read_only_refuses_changes(sample_path: Path) -> None:
    with ElectionFile.open(sample_path, read_only=True) as election:
        assert election.read_only and len(election.people()) == 10
        with pytest.raises(ReadOnlyError):
            election.add_person(OPERATOR, "甲", MemberStatus.FULL)


def test_backups_at_each_stage_change_record_their_hash(sample: ElectionFile) -> None:
    backups = sample.backups()
    assert [b.stage for b in backups] == [
        "民主推荐结束",
        "民主测评结束",
        "第1轮结果确认",
        "第2轮结果确认",
    ]
    folder = sample.path.parent / "backups"
    for backup in backups:
        copy = folder / backup.file_name
        assert copy.exists()
        with ElectionFile.open(copy, read_only=True) as old:
            assert old.chain_hash == backup.chain_hash
    path = sample.close_stage(OPERATOR, "election")
    assert path.exists() and len(list(folder.iterdir())) == 5


def test_create_refuses_to_overwrite(sample_path: Path) -> None:
    with pytest.raises(ElectionFileError, match="已存在"):
        ElectionFile.create(sample_path, title="x", organization="y", operator="z")


def test_seat_reduction_then_by_election(tmp_path: Path) -> None:
    election = ElectionFile.create(
        tmp_path / "r.gongtui", title="t", organization="o", operator="甲"
    )
    names = ("甲一", "乙二", "丙三", "丁四", "戊五")
    contest = election.add_contest("甲", Position.COMMITTEE, 3, [(None, n) for n in names])
    first = election.open_round("甲", contest, present_voters=5)
    election.set_papers_collected("甲", first, 5)
    for text in ("O----", "O----", "O----", "-O---", "--O--"):
        election.enter_paper("甲", first, parse_shorthand(text, 5))
    election.close_round("甲", first)
    with pytest.raises(ElectionFileError, match="确认之后"):
        election.reduce_seats("甲", contest, 1, "减为 2 名")
    election.confirm_round("甲", first, "监票人")
    election.reduce_seats("甲", contest, 1, "经大会表决，委员名额减为 2 名")
    with pytest.raises(ElectionFileError, match="减少名额"):
        election.reopen_round("甲", first, "想重来")
    by_election = election.open_round("甲", contest, present_voters=5)
    spec = election.round(by_election).spec
    assert spec.kind is RoundKind.BY_ELECTION and spec.seats == 1
    election.set_papers_collected("甲", by_election, 5)
    first_only = "O" + "-" * (len(spec.candidates) - 1)
    for _ in range(5):
        election.enter_paper("甲", by_election, parse_shorthand(first_only, len(spec.candidates)))
    election.close_round("甲", by_election)
    election.confirm_round("甲", by_election, "监票人")
    progress = election.contest_progress(contest)
    assert progress.done and progress.seats == 2
    assert progress.elected == ("甲一", spec.candidates[0])
    election.close()
    assert verify_file(election.path).ok


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张\u200b三", "张三"),  # zero-width space
        ("\u202e三张", "三张"),  # right-to-left override
        ("\ufeff李四\u200d", "李四"),  # byte-order mark, zero-width joiner
        ("  王五 ", "王五"),
        ("Jose\u0301 Li", "José Li"),  # decomposed accent → NFC
    ],
)
def test_names_are_stored_in_one_spelling(sample: ElectionFile, typed: str, stored: str) -> None:
    person = sample.add_person(OPERATOR, typed, MemberStatus.FULL)
    assert next(r.person.name for r in sample.people() if r.id == person) == stored
    other = sample.add_people(OPERATOR, [{"name": typed, "status": "full"}], "导入")[0]
    assert next(r.person.name for r in sample.people() if r.id == other) == stored
    sample.update_person(OPERATOR, other, name=typed + "\u200b")
    assert next(r.person.name for r in sample.people() if r.id == other) == stored
    assert verify_file(sample.path).ok


def test_names_compare_without_invisible_characters() -> None:
    from gongtui_desktop.domain.ballots import normalize_name

    assert normalize_name("张\u200b三") == normalize_name("张三") == "张三"
    assert normalize_name("\u202e张 三\u2066") == "张三"
    assert normalize_name("e\u0301") == "\u00e9"


def test_refusals_on_a_decided_round_read_once_already(tmp_path: Path) -> None:
    """The round's state is named as it is (已确认), never "已已确认"."""
    from gongtui_desktop.services.demo import write_demo

    path = write_demo(tmp_path / "demo.gongtui", completed=True)
    with ElectionFile.open(path) as election:
        record = election.rounds(election.contests()[0].id)[0]
        with pytest.raises(ElectionFileError) as refused:
            election.set_papers_collected("甲", record.id, 1)
    assert "轮已确认，不能再修改" in str(refused.value) and "已已" not in str(refused.value)
