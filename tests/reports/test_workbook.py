"""The counting workbook (issue #8): real election files in, the .xlsx read back with openpyxl,
every figure in the cells compared with the rules engine's."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.counting import judge_paper
from gongtui_desktop.domain.evaluation import RaterGroup
from gongtui_desktop.reports.docx_base import plain
from gongtui_desktop.reports.workbook import (
    EVALUATION_SHEET,
    RECOMMENDATION_SHEET,
    ROSTER_SHEET,
    UNFINISHED,
    round_sheet_names,
    sheet_name,
    workbook_sheet_names,
    write_workbook,
)
from gongtui_desktop.services.attendance import STATUS_LABELS, meeting_figures
from gongtui_desktop.services.demo import OPERATOR, write_demo
from gongtui_desktop.services.evaluation import evaluation_results
from gongtui_desktop.services.recommendation import rankings, review_rows
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import PaperState
from tests.store.sample import build_sample

STAMP = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@dataclass
class Export:
    """An election file opened read-only and its workbook read back."""

    election: ElectionFile
    path: Path
    book: Workbook


def _export(source: Path, target: Path) -> Iterator[Export]:
    election = ElectionFile.open(source, read_only=True)
    try:
        path = write_workbook(election, target, STAMP)
        yield Export(election, path, load_workbook(path))
    finally:
        election.close()


@pytest.fixture(scope="module")
def completed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Export]:
    folder = tmp_path_factory.mktemp("completed")
    source = write_demo(folder / "演示.gongtui", completed=True)
    yield from _export(source, folder / "计票统计表.xlsx")


@pytest.fixture(scope="module")
def unfinished(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Export]:
    folder = tmp_path_factory.mktemp("unfinished")
    source = write_demo(folder / "演示.gongtui")
    yield from _export(source, folder / "计票统计表.xlsx")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Export]:
    folder = tmp_path_factory.mktemp("sample")
    source = folder / "统计局.gongtui"
    build_sample(source).close()
    yield from _export(source, folder / "计票统计表.xlsx")


@pytest.fixture(scope="module")
def entering(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Export]:
    """The unfinished demo with papers entered and the round still open: a declared void
    paper and one with too many approvals among them (R5)."""
    folder = tmp_path_factory.mktemp("entering")
    source = write_demo(folder / "演示.gongtui")
    with ElectionFile.open(source) as election:
        first = election.rounds(election.contests()[0].id)[0].id
        for text in ("OOO-", "!OOO-", "OOOO", "-OOO", "XXOO"):
            election.enter_paper(OPERATOR, first, parse_shorthand(text, 4))
    yield from _export(source, folder / "计票统计表.xlsx")


ALL = ("completed", "unfinished", "sample", "entering")


@pytest.fixture(params=ALL)
def export(request: pytest.FixtureRequest) -> Export:
    return request.getfixturevalue(request.param)


# ---- reading helpers -----------------------------------------------------------------


def find_row(sheet: Worksheet, column: int, value: object, start: int = 1) -> int:
    for row in range(start, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(f"{value!r} not found in column {column} of {sheet.title}")


def header_map(sheet: Worksheet, row: int) -> dict[str, int]:
    return {str(cell.value): cell.column for cell in sheet[row] if cell.value is not None}  # type: ignore[misc]


def table(sheet: Worksheet, header_row: int) -> list[dict[str, object]]:
    """Rows under a header until the first row whose first two cells are empty."""
    headers = header_map(sheet, header_row)
    rows = []
    for row in range(header_row + 1, sheet.max_row + 1):
        if all(sheet.cell(row=row, column=c).value is None for c in (1, 2)):
            break
        rows.append({h: sheet.cell(row=row, column=c).value for h, c in headers.items()})
    return rows


def figure(sheet: Worksheet, label: str) -> object:
    return sheet.cell(row=find_row(sheet, 1, label), column=2).value


def names(text: object) -> list[str]:
    return str(text).split("、") if text else []


def rounds(election: ElectionFile) -> Iterator[tuple[int, int, int]]:
    """(contest number, round number, round id) of every round."""
    for number, record in enumerate(election.contests(), start=1):
        for round_record in election.rounds(record.id):
            yield number, round_record.number, round_record.id


def contents(book: Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


# ---- a small COUNTIFS evaluator for the 核对 formulas -------------------------------------

TERM = re.compile(r"COUNTIFS\(([^)]*)\)")
RANGE = re.compile(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)")


def _matches(value: object, criterion: str) -> bool:
    text = "" if value is None else str(value)
    if criterion.startswith("<>"):
        return text != criterion[2:]
    if "*" in criterion or "?" in criterion:
        return fnmatch.fnmatchcase(text, criterion)
    return text == criterion


def evaluate(book: Workbook, formula: str) -> int:
    """Sum of COUNTIFS terms over ranges of other sheets, as Excel counts them."""
    assert formula.startswith("=")
    total = 0
    for arguments in TERM.findall(formula):
        parts = re.findall(r"('[^']*'![^,]+|\"[^\"]*\")", arguments)
        pairs = list(zip(parts[::2], parts[1::2], strict=True))
        columns = []
        for reference, criterion in pairs:
            match = RANGE.fullmatch(reference)
            assert match, reference
            title, letter, low, _, high = match.groups()
            sheet = book[title]
            cells = [sheet[f"{letter}{row}"].value for row in range(int(low), int(high) + 1)]
            columns.append((cells, criterion.strip('"')))
        size = len(columns[0][0])
        total += sum(
            1
            for i in range(size)
            if all(_matches(cells[i], criterion) for cells, criterion in columns)
        )
    return total


# ---- sheets, banner, style ---------------------------------------------------------------


def test_sheet_list_of_the_completed_demo(completed: Export) -> None:
    assert completed.book.sheetnames == [
        "名册与签到",
        "推荐统计",
        "测评统计",
        "项目1-第1轮-逐张",
        "项目1-第1轮-汇总",
        "项目2-第1轮-逐张",
        "项目2-第1轮-汇总",
    ]


def test_sheet_list_follows_the_rounds(export: Export) -> None:
    assert export.book.sheetnames == workbook_sheet_names(export.election)
    assert export.book.sheetnames[:3] == [ROSTER_SHEET, RECOMMENDATION_SHEET, EVALUATION_SHEET]


def test_sample_has_the_tie_break_round(sample: Export) -> None:
    assert "项目1-第2轮-逐张" in sample.book.sheetnames
    assert "重新投票" in str(sample.book["项目1-第2轮-汇总"]["A1"].value)


def test_sheet_names_respect_excel_limits() -> None:
    name = sheet_name("项目[1]:第*轮?/\\" + "很长" * 30)
    assert len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert round_sheet_names(12, 3) == ("项目12-第3轮-逐张", "项目12-第3轮-汇总")


def all_text(sheet: Worksheet) -> str:
    return "\n".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def test_banner_only_while_unfinished(
    completed: Export, unfinished: Export, sample: Export, entering: Export
) -> None:
    for export in (unfinished, sample, entering):
        banner = export.book[ROSTER_SHEET]["A2"]
        assert str(banner.value).startswith(UNFINISHED)
        assert banner.font.bold
    assert "计票中" in str(unfinished.book[ROSTER_SHEET]["A2"].value)
    assert "书记尚需进行正式选举" in str(sample.book[ROSTER_SHEET]["A2"].value)
    for sheet in completed.book.worksheets:
        assert UNFINISHED not in all_text(sheet)


def test_every_cell_is_song_and_headers_bold(export: Export) -> None:
    for sheet in export.book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "宋体", (sheet.title, cell.coordinate)
        assert sheet["A1"].font.bold
    roster = export.book[ROSTER_SHEET]
    assert all(cell.font.bold for cell in roster[5] if cell.value is not None)


def test_freeze_and_print_setup(export: Export) -> None:
    for sheet in export.book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9
        assert int(sheet.page_setup.fitToWidth) == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows
        assert sheet.column_dimensions["A"].width > 0
    assert export.book[ROSTER_SHEET].page_setup.orientation == "landscape"
    for number, round_number, _ in rounds(export.election):
        papers, _ = round_sheet_names(number, round_number)
        assert export.book[papers].page_setup.orientation == "landscape"
        assert export.book[papers].freeze_panes == "B4"


def test_values_not_formulas_except_the_cross_checks(export: Export) -> None:
    for sheet in export.book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                assert sheet.title.endswith("汇总"), (sheet.title, cell.coordinate)
                header_row = (
                    3 if cell.row < find_row(sheet, 1, "姓名") else find_row(sheet, 1, "姓名")
                )
                assert str(sheet.cell(row=header_row, column=cell.column).value).startswith("核对")


def test_same_stamp_same_workbook(sample: Export, tmp_path: Path) -> None:
    again = write_workbook(sample.election, tmp_path / "again.xlsx", STAMP)
    assert contents(load_workbook(again)) == contents(sample.book)
    assert again.read_bytes() == sample.path.read_bytes()
    properties = load_workbook(again).properties
    assert properties.creator
    assert properties.created == properties.modified == datetime(2026, 11, 25, 9, 30)


def test_a_later_stamp_changes_only_the_export_time(sample: Export, tmp_path: Path) -> None:
    later = write_workbook(sample.election, tmp_path / "later.xlsx", datetime(2027, 1, 2, 3, 4))
    book = load_workbook(later)
    before, after = contents(sample.book), contents(book)
    assert before.keys() == after.keys()
    differing = [
        (title, i)
        for title in before
        for i, (a, b) in enumerate(zip(before[title], after[title], strict=True))
        if a != b
    ]
    assert differing == [(ROSTER_SHEET, 2)]  # the line with 导出时间
    assert book.properties.modified == datetime(2027, 1, 2, 3, 4)


# ---- 名册与签到 ------------------------------------------------------------------------


def test_roster_lists_everyone_with_sign_in(completed: Export) -> None:
    election = completed.election
    sheet = completed.book[ROSTER_SHEET]
    rows = table(sheet, 5)
    people = election.people()
    assert len(people) == 34
    assert [r["姓名"] for r in rows] == [p.person.name for p in people]
    attendance = election.attendance("election")
    for record, row in zip(people, rows, strict=True):
        assert row["身份"] == record.person.status.label
        status = attendance.get(record.id)
        if status is not None:
            assert row["选举大会签到"] == STATUS_LABELS[status]
        else:  # non-members and the probationary member were not signed in
            assert row["选举大会签到"] is None
        assert row["推荐大会签到"] is None
    assert sum(r["选举大会签到"] == "到会" for r in rows) == 18
    assert [r["姓名"] for r in rows if r["选举大会签到"] == "请假"] == ["杨帆"]


def test_meeting_figures(completed: Export, sample: Export) -> None:
    for export in (completed, sample):
        sheet = export.book[ROSTER_SHEET]
        row = find_row(sheet, 1, "选举大会", start=find_row(sheet, 1, "会议"))
        figures = meeting_figures(export.election, "election")
        values = [sheet.cell(row=row, column=c).value for c in range(2, 11)]
        assert values[:6] == [
            figures.expected,
            figures.present,
            figures.leave,
            figures.absent,
            len(figures.excluded),
            figures.quorum.minimum_present,
        ]
        assert values[6] == ("是" if figures.quorum.met else "否")
        assert values[7] == pytest.approx(float(figures.attendance_rate))
        assert sheet.cell(row=row, column=9).number_format == "0.00%"
    sheet = completed.book[ROSTER_SHEET]
    assert figure(sheet, "推荐大会") == "未登记签到"


def test_exclusions_listed(sample: Export) -> None:
    rows = {r["姓名"]: r for r in table(sample.book[ROSTER_SHEET], 5)}
    excluded = str(rows["周九"]["不计入应到会人数"])
    assert "自费出国半年以上" in excluded and "区级机关党工委同意" in excluded
    assert rows["张三"]["不计入应到会人数"] is None


# ---- rounds --------------------------------------------------------------------------------


def test_each_round_figures_match_the_engine(export: Export) -> None:
    election = export.election
    checked = 0
    for number, round_number, round_id in rounds(election):
        result = election.count(round_id)
        _, summary = round_sheet_names(number, round_number)
        sheet = export.book[summary]
        assert figure(sheet, "有效票") == result.valid_papers
        assert figure(sheet, "无效票") == result.invalid_papers
        assert figure(sheet, "录入计票的选票") == result.papers_collected
        assert figure(sheet, "发出选票") == result.spec.papers_issued
        # A 重新投票 needs no majority: its threshold does not apply and is not shown.
        assert figure(sheet, "当选所需最少赞成票") == (
            result.threshold if result.threshold_applied else "不适用"
        )
        assert names(figure(sheet, "当选")) == list(result.elected)
        assert names(figure(sheet, "得票相等须重新投票")) == list(result.tied)
        rows = table(sheet, find_row(sheet, 1, "姓名"))
        assert [r["姓名"] for r in rows] == [p.name for p in result.votes]
        for person, row in zip(result.votes, rows, strict=True):
            assert row["赞成"] == person.approvals
            assert isinstance(row["赞成"], int)
            if person.listed:
                assert (row["不赞成"], row["弃权"]) == (person.against, person.abstain)
            else:
                assert (row["类别"], row["不赞成"], row["弃权"]) == ("另选他人", None, None)
            assert (row["结果"] == "当选") == (person.name in result.elected)
        checked += 1
    assert checked == len(workbook_sheet_names(election)[3:]) // 2


def test_completed_demo_results(completed: Export) -> None:
    committee = completed.book["项目1-第1轮-汇总"]
    assert names(figure(committee, "当选")) == ["项上桢", "郭卫民", "陈晓红"]
    rows = {r["姓名"]: r for r in table(committee, find_row(committee, 1, "姓名"))}
    assert rows["周丽萍"]["赞成"] == 1  # written in with ○ (R6)
    secretary = completed.book["项目2-第1轮-汇总"]
    assert names(figure(secretary, "当选")) == ["项上桢"]


MARK_RANK = {"○": 0, "×": 1, "": 2}
STATE_RANK = {
    PaperState.COUNTED.label: 0,
    PaperState.CORRECTED.label: 1,
    PaperState.WITHDRAWN.label: 2,
}


def test_every_entered_row_is_listed_with_its_marks(export: Export) -> None:
    """Every entered row is listed once, with its marks and judgement, sorted by what it
    says: counted rows first, valid before invalid, then the marks (○, ×, blank) name by
    name and the write-ins. No operator and no time: nothing orders papers by entry."""
    election = export.election
    options = election.plan().counting
    for number, round_number, round_id in rounds(election):
        papers, _ = round_sheet_names(number, round_number)
        sheet = export.book[papers]
        history = election.paper_history(round_id)
        spec = election.round(round_id).spec
        headers = header_map(sheet, 3)
        assert [h for h in headers if headers[h] in range(2, 2 + len(spec.candidates))] == list(
            spec.candidates
        )
        assert "录入人" not in headers and "录入时间" not in headers
        assert "录入序号" not in headers and headers["序号"] == 1
        data = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] is not None]
        assert [row[0] for row in data] == list(range(1, len(history) + 1))

        count = len(spec.candidates)
        shown = [
            (
                tuple(value or "" for value in row[1 : 1 + count]),
                row[headers["有效/无效"] - 1],
                row[headers["说明"] - 1],
                row[headers["录入状态"] - 1],
            )
            for row in data
        ]
        judgements = [judge_paper(record.paper, spec, options) for record in history]
        held = [
            (
                tuple(mark.symbol for mark in record.paper.marks),
                "有效" if judgement.valid else "无效",
                plain(judgement.explanation()).replace(
                    "监票人宣布作废：监票人宣布作废", "监票人宣布作废"
                ),
                record.state.label,
            )
            for record, judgement in zip(history, judgements, strict=True)
        ]
        # The same rows as the file holds, no more and no fewer ...
        assert sorted(map(repr, shown)) == sorted(map(repr, held))
        # ... in the order of their content, not of their entry.
        ranks = [
            (
                STATE_RANK[str(row[headers["录入状态"] - 1])],
                row[headers["有效/无效"] - 1] != "有效",
                [MARK_RANK[value or ""] for value in row[1 : 1 + len(spec.candidates)]],
                row[headers["另选他人"] - 1] or "",
            )
            for row in data
        ]
        assert ranks == sorted(ranks)
        people = {record.operator for record in history}
        cells = {str(value) for row in data for value in row if value is not None}
        assert not people & cells
        assert not any(re.search(r"\d\d:\d\d", cell) for cell in cells)


def test_corrections_withdrawals_and_write_ins_stay_listed(sample: Export) -> None:
    sheet = sample.book["项目1-第1轮-逐张"]
    rows = table(sheet, 3)
    assert len(rows) == 7
    states = [r["录入状态"] for r in rows]
    assert states.count(PaperState.CORRECTED.label) == 1
    assert states.count(PaperState.WITHDRAWN.label) == 1
    corrected = next(r for r in rows if r["录入状态"] == "已更正")
    assert corrected["有效/无效"] == "无效"  # OOOO for 3 seats (R5), replaced by a correction
    # The correction names the row it corrects by this table's 序号.
    correction = next(r for r in rows if r["备注"])
    assert correction["备注"] == f"更正序号 {corrected['序号']} 的原录入"
    assert correction["录入状态"] == "有效录入" and correction["有效/无效"] == "有效"
    withdrawn = next(r for r in rows if r["录入状态"] == "已撤销")
    assert withdrawn["另选他人"] == "钱七○"
    # Neither counts: the summary shows 5 valid papers and no 钱七.
    summary = sample.book["项目1-第1轮-汇总"]
    assert figure(summary, "有效票") == 5
    assert "钱七" not in [r["姓名"] for r in table(summary, find_row(summary, 1, "姓名"))]


def test_open_round_with_invalid_papers(entering: Export) -> None:
    summary = entering.book["项目1-第1轮-汇总"]
    assert figure(summary, "录入计票的选票") == 5
    assert figure(summary, "无效票") == 2
    reasons = str(summary.cell(row=find_row(summary, 1, "无效票"), column=4).value)
    assert "监票人宣布作废 1 张" in reasons and "所选人数多于应选人数 1 张" in reasons
    papers = table(entering.book["项目1-第1轮-逐张"], 3)
    # Entered as OOO-, !OOO-, OOOO, -OOO, XXOO: listed by content, valid first, then by
    # the marks (○ before × before blank) name by name.
    assert [(p["序号"], p["有效/无效"], p["说明"]) for p in papers] == [
        (1, "有效", "有效票：赞成 3 人"),
        (2, "有效", "有效票：赞成 2 人"),
        (3, "有效", "有效票：赞成 3 人"),
        (4, "无效", "废票：所选人数多于应选人数：赞成 4 人，应选 3 人"),
        (5, "无效", "废票：监票人宣布作废"),  # the reason said once, not twice
    ]
    candidates = list(header_map(entering.book["项目1-第1轮-逐张"], 3))[1:5]
    marks = ["".join(str(p[name] or "-") for name in candidates) for p in papers]
    assert marks == ["○○○-", "××○○", "-○○○", "○○○○", "○○○-"]
    assert "计票中" in str(entering.book[ROSTER_SHEET]["A2"].value)


def test_cross_checks_agree_with_the_values(export: Export) -> None:
    """The 核对 formulas, evaluated as Excel's COUNTIFS, give the values beside them."""
    book = export.book
    for number, round_number, round_id in rounds(export.election):
        _, summary = round_sheet_names(number, round_number)
        sheet = book[summary]
        formulas = 0
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if cell.data_type == "f":
                    expected_column = 2 if cell.column == 3 else 3
                    value = sheet.cell(row=cell.row, column=expected_column).value
                    assert evaluate(book, str(cell.value)) == value, (summary, cell.coordinate)
                    formulas += 1
        assert formulas == 3 + len(export.election.count(round_id).votes)


def test_cross_checks_ignore_corrected_and_withdrawn_rows(sample: Export) -> None:
    sheet = sample.book["项目1-第1轮-汇总"]
    row = find_row(sheet, 1, "赵六", start=find_row(sheet, 1, "姓名"))
    formula = str(sheet.cell(row=row, column=9).value)
    assert "COUNTIFS" in formula and "有效录入" in formula and "项目1-第1轮-逐张" in formula
    # 赵六 has ○ on the corrected row too: counted there it would give 4, not 3.
    assert evaluate(sample.book, formula) == sheet.cell(row=row, column=3).value == 3


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_cross_checks_in_a_spreadsheet_program(completed: Export, tmp_path: Path) -> None:
    """LibreOffice computes the 核对 column to the same numbers as the values."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            completed.path,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = load_workbook(tmp_path / completed.path.name, data_only=True)
    for title in ("项目1-第1轮-汇总", "项目2-第1轮-汇总"):
        sheet = book[title]
        for row in table(sheet, find_row(sheet, 1, "姓名")):
            assert row["核对：赞成（公式）"] == row["赞成"]
        assert sheet.cell(row=find_row(sheet, 1, "有效票"), column=3).value == figure(
            sheet, "有效票"
        )


# ---- 推荐统计 and 测评统计 -------------------------------------------------------------


def test_recommendation_scores_and_shortlist(sample: Export) -> None:
    sheet = sample.book[RECOMMENDATION_SHEET]
    (ranking,) = rankings(sample.election)
    rows = table(sheet, find_row(sheet, 1, "名次"))
    shortlist = ranking.result.shortlist
    assert [r["姓名"] for r in rows] == [ranking.name(key) for key, _ in shortlist.ranking]
    for (key, value), row in zip(shortlist.ranking, rows, strict=True):
        tally = ranking.tallies[key]
        assert isinstance(row["得分"], int | float)
        assert row["得分"] == pytest.approx(float(value))
        assert row["计算"] == ranking.result.scores[key].formula
        assert (row["党员推荐"], row["群众推荐"]) == (tally.member, tally.mass)
        assert (row["个人自荐"] == "是") == tally.self_nominated
        assert (row["初步人选"] is not None) == (key in shortlist.chosen)
    assert [r["名次"] for r in rows] == [1, 2, 2, 4]  # 张三 and 李四 share 2nd place
    channels = find_row(sheet, 2, "渠道")
    assert [sheet.cell(row=channels + 1, column=c).value for c in (2, 3, 4)] == ["党员推荐", 9, 8]
    decisions = {r.name: r for r in review_rows(sample.election)}
    start = find_row(sheet, 2, "职务")
    assert sheet.cell(row=start + len(decisions) + 1, column=3).value is None
    for row in range(start + 1, start + 1 + len(decisions)):
        name = sheet.cell(row=row, column=3).value
        decided = decisions[str(name)].decision
        expected = "未决定" if decided is None else ("通过" if decided else "不通过")
        assert sheet.cell(row=row, column=6).value == expected


def test_evaluation_shares(sample: Export) -> None:
    sheet = sample.book[EVALUATION_SHEET]
    labels = sample.election.plan().evaluation.labels
    results = evaluation_results(sample.election)
    assert results
    header = find_row(sheet, 1, "名次")
    headers = header_map(sheet, header)
    assert [h for h in headers if headers[h] in range(4, 8)] == list(labels)
    seen = 0
    for result in results:
        for candidate in result.overall.candidates:
            name = result.name(candidate.name)
            member = result.by_group[RaterGroup.MEMBER].of(candidate.name)
            row = find_row(sheet, 2, name)
            if sheet.cell(row=row, column=1).value is None:
                continue  # rows of one person are together; the first carries the 名次
            for index, dimension in enumerate(candidate.dimensions):
                r = row + index
                assert sheet.cell(row=r, column=3).value == dimension.dimension
                counts = [sheet.cell(row=r, column=c).value for c in range(4, 8)]
                assert counts == list(dimension.counts)
                share = sheet.cell(row=r, column=9)
                assert share.value == pytest.approx(float(dimension.share))
                assert share.number_format == "0.00%"
                member_share = sheet.cell(row=r, column=10).value
                assert member_share == pytest.approx(float(member.dimensions[index].share))
                assert sheet.cell(row=r, column=11).value is None  # no non-member forms
            chosen = candidate.name in result.overall.shortlist.chosen
            assert (sheet.cell(row=row, column=15).value == "是") == chosen
            assert sheet.cell(row=row, column=13).value == pytest.approx(float(candidate.composite))
            seen += 1
    assert seen == sum(len(r.overall.candidates) for r in results)


def test_demo_without_recommendation_or_evaluation(completed: Export) -> None:
    assert "未设置民主推荐" in all_text(completed.book[RECOMMENDATION_SHEET])
    assert "尚无测评对象" in all_text(completed.book[EVALUATION_SHEET])


def test_percent_cells_hold_fractions_as_numbers(sample: Export) -> None:
    sheet = sample.book[RECOMMENDATION_SHEET]
    row = find_row(sheet, 2, "党员推荐", start=find_row(sheet, 2, "渠道"))
    cell = sheet.cell(row=row, column=5)
    assert cell.value == pytest.approx(float(Fraction(8, 9)))
    assert cell.number_format == "0.00%"
