"""The minutes as a 组织部 reads them: who left the meeting and when, tables whose header
row repeats on every page, signatures never alone on the last page. Documents are written
by the program and read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.contest import Position
from gongtui_desktop.reports import documents
from gongtui_desktop.services.demo import COMMITTEE_PAPERS, OPERATOR, write_demo
from gongtui_desktop.store.election_file import ElectionFile


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _election(tmp_path: Path, *, leaves: bool, present_second: int) -> tuple[Path, str, str]:
    """The demo's committee round, then (when ``leaves``) a voter who is not a candidate
    marked 缺席, then the secretary round with ``present_second`` voters present.
    Returns the file, the name of who left and the minute of the sign-in change."""
    path = write_demo(tmp_path / "离会.gongtui")
    with ElectionFile.open(path) as election:
        committee = election.contests()[0].id
        first = election.rounds(committee)[0].id
        people = {p.person.name: p.id for p in election.people()}
        spec = election.round(first).spec
        for text in COMMITTEE_PAPERS:
            paper = parse_shorthand(text, len(spec.candidates))
            election.enter_paper(
                OPERATOR, first, paper, [people.get(w.name) for w in paper.write_ins]
            )
        election.close_round(OPERATOR, first)
        election.confirm_round(OPERATOR, first, "周丽萍")
        name, at = "", ""
        if leaves:
            name = "吴海涛"
            election.set_attendance(OPERATOR, "election", people[name], "absent")
            at = election.audit_entries()[-1].at
        secretary = next(c for c in election.contests() if c.contest.position is Position.SECRETARY)
        election.set_contest_candidates(
            OPERATOR, secretary.id, [(people["项上桢"], "项上桢"), (people["郭卫民"], "郭卫民")]
        )
        second = election.open_round(OPERATOR, secretary.id, present_voters=present_second)
        election.set_papers_collected(OPERATOR, second, present_second)
        for text in ("O-",) * (present_second - 4) + ("-O",) * 3 + ("--",):
            election.enter_paper(OPERATOR, second, parse_shorthand(text, 2))
        election.close_round(OPERATOR, second)
        election.confirm_round(OPERATOR, second, "周丽萍")
    return path, name, at


def _clock(at: str) -> str:
    """10:42 from 2026-11-24T10:42:00+08:00, as the minutes write it (no leading zero)."""
    hours, minutes = at[11:13], at[14:16]
    return f"{int(hours)}:{minutes}"


def test_the_minutes_say_who_left_and_when_the_count_of_voters_drops(tmp_path: Path) -> None:
    path, name, at = _election(tmp_path, leaves=True, present_second=17)
    assert at[17:19] == "00"  # the sign-in change is audited to the minute
    with ElectionFile.open(path, read_only=True) as election:
        minutes = _paragraphs(documents.write_minutes(election, tmp_path / "记录.docx"))
        second = documents.rounds_of(election)[1]
        report = _paragraphs(
            documents.write_tally_report(election, second, tmp_path / "报告单.docx")
        )
        result = _paragraphs(documents.write_result_report(election, tmp_path / "报告.docx"))
    left = f"{name} {_clock(at)}离会"
    assert f"投票开始时实到会有选举权的党员 18 人；会议进行中，{left}。" in minutes
    note = f"本轮实到会有选举权的党员比上一轮少 1 人：{left}。"
    # Said once, in the secretary round, just before its figures (17 present), never for the
    # first round.
    index = minutes.index(note)
    assert minutes.count(note) == 1
    assert minutes[index + 1].startswith("实到会有选举权的党员 17 人，发出选票 17 张")
    assert minutes[index - 1].startswith("第 1 轮（正式选举），应选 1 名")
    assert note in report and note in result


def test_a_drop_the_sign_ins_do_not_explain_leaves_a_blank(tmp_path: Path) -> None:
    path, _, _ = _election(tmp_path, leaves=False, present_second=17)
    with ElectionFile.open(path, read_only=True) as election:
        minutes = _paragraphs(documents.write_minutes(election, tmp_path / "记录.docx"))
    assert "本轮实到会有选举权的党员比上一轮少 1 人（离会、到会人员及时间：＿＿＿＿）。" in minutes
    assert not any("会议进行中" in line for line in minutes)


def test_no_note_when_nobody_left(tmp_path: Path) -> None:
    path, _, _ = _election(tmp_path, leaves=False, present_second=18)
    with ElectionFile.open(path, read_only=True) as election:
        text = "\n".join(_paragraphs(documents.write_minutes(election, tmp_path / "记录.docx")))
    assert "比上一轮" not in text and "离会" not in text


@pytest.fixture
def completed(tmp_path: Path):  # type: ignore[no-untyped-def]
    with ElectionFile.open(
        write_demo(tmp_path / "done.gongtui", completed=True), read_only=True
    ) as election:
        yield election


def _keeps(paragraph) -> bool:  # type: ignore[no-untyped-def]
    return bool(paragraph.paragraph_format.keep_with_next)


def test_every_table_repeats_its_header_row_and_no_row_splits(
    completed: ElectionFile, tmp_path: Path
) -> None:
    paths = [
        documents.write_minutes(completed, tmp_path / "记录.docx"),
        documents.write_result_report(completed, tmp_path / "报告.docx"),
        documents.write_tally_report(
            completed, documents.rounds_of(completed)[0], tmp_path / "报告单.docx"
        ),
    ]
    tables = 0
    for path in paths:
        for table in docx.Document(str(path)).tables:
            tables += 1
            rows = table.rows
            header = rows[0]._tr.trPr
            assert header is not None and header.find(qn("w:tblHeader")) is not None
            for row in rows[1:]:
                assert row._tr.trPr.find(qn("w:tblHeader")) is None
            assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert tables >= 5


def test_signatures_stay_with_the_text_before_them(completed: ElectionFile, tmp_path: Path) -> None:
    minutes = docx.Document(str(documents.write_minutes(completed, tmp_path / "记录.docx")))
    paragraphs = [p for p in minutes.paragraphs if p.text.strip()]
    texts = [p.text for p in paragraphs]
    heading = texts.index("五、签字")
    signatures = paragraphs[heading + 1 :]
    assert [p.text.endswith("签字：＿＿＿＿＿＿＿＿") for p in signatures] == [True] * len(
        signatures
    ) and len(signatures) == 5
    # The last result line, the heading and every signature but the last keep with the next.
    assert texts[heading - 1].startswith("支部书记选举结果")
    assert [_keeps(p) for p in paragraphs[heading - 1 :]] == [True] * (len(signatures) + 1) + [
        False
    ]

    report = docx.Document(
        str(
            documents.write_tally_report(
                completed, documents.rounds_of(completed)[0], tmp_path / "报告单.docx"
            )
        )
    )
    body = report.element.body
    last_table = report.tables[-1]
    # The vote table's last row stays with the signatures under it, and they with the date.
    assert all(_keeps(p) for cell in last_table.rows[-1].cells for p in cell.paragraphs)
    assert not any(_keeps(p) for cell in last_table.rows[0].cells for p in cell.paragraphs)
    after = [p for p in report.paragraphs if p._p.getparent() is body][-5:]
    assert after[-1].text == "　　年　　月　　日"
    assert [_keeps(p) for p in after] == [True, True, True, True, False]
