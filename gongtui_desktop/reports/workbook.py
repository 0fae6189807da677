"""The counting workbook of the archive packet (issue #8): one .xlsx with every figure.

Sheets: 名册与签到 (R1–R3), 推荐统计 (N1–N5), 测评统计 (E1–E5), then for each contest
and round a 逐张 sheet (every entered row, corrected and withdrawn ones marked; R5, R6)
and a 汇总 sheet (R4–R9, R14). Every figure is written as a value computed by the rules
engine; the only formulas are the 核对 cross-checks, which count the 逐张 sheet again.
Fonts are fresh 宋体 objects, headers bold and frozen, pages A4 fitted to width. The
file is reproducible: with the same ``stamp`` two exports are byte-identical.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from gongtui_desktop.domain.ballots import Mark
from gongtui_desktop.domain.counting import PaperJudgement, RoundResult, judge_paper
from gongtui_desktop.domain.evaluation import CandidateEvaluation, RaterGroup
from gongtui_desktop.domain.numbers import percent
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark
from gongtui_desktop.domain.people import person_rights
from gongtui_desktop.domain.shortlist import Shortlist
from gongtui_desktop.reports.docx_base import plain
from gongtui_desktop.services.attendance import MEETINGS, STATUS_LABELS, meeting_figures
from gongtui_desktop.services.evaluation import evaluation_results, participation
from gongtui_desktop.services.recommendation import CHANNEL_LABELS, rankings, review_rows
from gongtui_desktop.services.roster_export import EMPLOYMENT_LABELS, rights_text, write_value
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import PaperRecord, PaperState, RoundRecord, RoundStatus
from gongtui_desktop.store.scans import ScanPageRecord

FONT_NAME = "宋体"
CREATOR = "公推直选计票"
UNFINISHED = "未完成"
ROSTER_SHEET = "名册与签到"
RECOMMENDATION_SHEET = "推荐统计"
EVALUATION_SHEET = "测评统计"
HEADER_FILL = "DDEBF7"
BANNER_FILL = "FFF2CC"
PERCENT = "0.00%"
FIRST_PAPER_ROW = 4  # 逐张: title, information, header, then one row per entered paper
VALID, INVALID = "有效", "无效"
FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


# ---- cells and sheets --------------------------------------------------------------


@lru_cache(maxsize=64)
def _font(*, bold: bool = False, color: str | None = None, size: float = 11) -> Font:
    """A 宋体 font of our own for each style (the workbook's default is never touched); one
    object per style, shared by its cells, so a sheet of thousands of papers stays fast."""
    return Font(name=FONT_NAME, size=size, bold=bold, color=color, charset=134)


@lru_cache(maxsize=16)
def _alignment(horizontal: str | None = None, wrap: bool = False) -> Alignment:
    if wrap:
        return Alignment(wrap_text=True, vertical="top")
    return Alignment(horizontal=horizontal)


@lru_cache(maxsize=16)
def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def _number(value: Fraction | int) -> int | float:
    """Exact figures go to Excel as numbers: whole ones as int, the rest as float."""
    if isinstance(value, int):
        return value
    return value.numerator if value.denominator == 1 else float(value)


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: object,
    *,
    bold: bool = False,
    color: str | None = None,
    number_format: str | None = None,
    fill: str | None = None,
    wrap: bool = False,
) -> Cell:
    """A value, never a formula: text starting with ``=`` stays text; "" and None stay empty.
    Text loses the program's rule ids: the workbook is archived as an official paper."""
    if isinstance(value, str):
        value = plain(value)
    cell = write_value(sheet, row, column, _number(value) if isinstance(value, Fraction) else value)
    if number_format:
        cell.number_format = number_format
    cell.font = _font(bold=bold, color=color)
    if fill:
        cell.fill = _fill(fill)
    if wrap:
        cell.alignment = _alignment(wrap=True)
    return cell


def _formula(sheet: Worksheet, row: int, column: int, formula: str) -> Cell:
    """A 核对 cross-check: the one kind of formula the workbook holds."""
    cell = sheet.cell(row=row, column=column, value=formula)
    cell.font = _font(color="1F4E79")
    return cell


def _header(sheet: Worksheet, row: int, labels: Sequence[str], first_column: int = 1) -> None:
    for column, label in enumerate(labels, start=first_column):
        cell = _put(sheet, row, column, label, bold=True, fill=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(sheet: Worksheet, text: str, note: str = "") -> None:
    """Row 1 the sheet's title, row 2 a line of context."""
    _put(sheet, 1, 1, text, bold=True).font = _font(bold=True, size=14)
    if note:
        _put(sheet, 2, 1, note)


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_setup(sheet: Worksheet, title_rows: str, landscape: bool) -> None:
    """A4, one page wide, the title rows repeated on every page, page numbers below."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = (
        sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    )
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def sheet_name(text: str) -> str:
    """Excel's limits: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in FORBIDDEN_IN_SHEET_NAMES else ch for ch in text)
    return cleaned[:31]


def round_sheet_names(contest_number: int, round_number: int) -> tuple[str, str]:
    """The 逐张 and 汇总 sheet names of one round."""
    base = f"项目{contest_number}-第{round_number}轮"
    return sheet_name(f"{base}-逐张"), sheet_name(f"{base}-汇总")


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


# ---- whether the election is finished ------------------------------------------------


def unfinished_reasons(election: ElectionFile) -> list[str]:
    """Why the export is not the final record: open stages in use, rounds not confirmed,
    contests still needing a round (R4, R8, R9). Empty when everything is decided."""
    reasons = []
    if not election.contests():
        reasons.append("尚未设立选举项目")
    for record in election.contests():
        title = record.contest.display_title
        for round_record in election.rounds(record.id):
            if round_record.status is not RoundStatus.CONFIRMED:
                reasons.append(f"{title}第 {round_record.number} 轮{round_record.status.label}")
        progress = election.contest_progress(record.id)
        if progress.next_round is not None and all(
            r.status is RoundStatus.CONFIRMED for r in election.rounds(record.id)
        ):
            reasons.append(f"{title}尚需进行{progress.next_round.kind.label}")
    # No separate closing of the election stage is asked for: the window never closes it,
    # so every contest decided with its rounds confirmed is the end of the election.
    if election.recommendation_started() and election.stage_status("recommendation") != "closed":
        reasons.append("民主推荐尚未结束")
    if (
        election.plan().has_evaluation
        and election.evaluation_form_ids()
        and election.stage_status("evaluation") != "closed"
    ):
        reasons.append("民主测评尚未结束")
    return reasons


# ---- 名册与签到 ------------------------------------------------------------------------

ROSTER_HEADERS = (
    ("序号", 6),
    ("姓名", 10),
    ("性别", 6),
    ("出生日期", 12),
    ("入党日期", 12),
    ("转正日期", 12),
    ("身份", 10),
    ("处分/权利状态", 12),
    ("权利 (R1)", 30),
    ("在职/退休", 9),
    ("组织关系在本单位", 9),
    ("联系方式", 14),
    ("备注", 16),
    ("离开日期", 12),
)
MEETING_HEADERS = (
    "会议",
    "应到会人数",
    "实到会人数",
    "请假",
    "缺席",
    "不计入应到会人数 (R2)",
    "至少须到会人数 (R3)",
    "符合法定人数 (R3)",
    "到会率",
    "列席到会人数",
)


def _roster_sheet(
    sheet: Worksheet, election: ElectionFile, reasons: list[str], stamp: datetime
) -> None:
    """R1–R3: everyone on the roster, their sign-in at each meeting, the meetings' figures."""
    details = election.election_details()
    sheet.title = ROSTER_SHEET
    _title(sheet, f"{details['title']}　名册与签到")
    last_column = len(ROSTER_HEADERS) + len(MEETINGS) + 1
    if reasons:
        banner = f"{UNFINISHED}：选举尚未全部结束（{'；'.join(reasons)}），以下为截至导出时的情况"
        cell = _put(sheet, 2, 1, banner, bold=True, color="C00000", fill=BANNER_FILL)
    else:
        cell = _put(sheet, 2, 1, "选举已结束：各轮结果均已确认")
    cell.alignment = Alignment(vertical="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_column)
    sheet.row_dimensions[2].height = 24
    _put(
        sheet,
        3,
        1,
        f"单位：{details['organization']}　上级党组织：{details['higher_organization']}"
        f"　审计链校验码：{election.short_hash}"
        f"　导出时间：{stamp.isoformat(timespec='seconds')}",
    )
    header_row = 5
    _header(
        sheet,
        header_row,
        [label for label, _ in ROSTER_HEADERS]
        + [f"{title}签到" for title in MEETINGS.values()]
        + ["不计入应到会人数 (R2)"],
    )
    _widths(sheet, [w for _, w in ROSTER_HEADERS] + [10] * len(MEETINGS) + [40])
    attendance = {kind: election.attendance(kind) for kind in MEETINGS}
    exclusions = {kind: election.exclusions(kind) for kind in MEETINGS}
    row = header_row
    for number, record in enumerate(election.people(), start=1):
        row += 1
        person = record.person
        voter = record.left_on is None and person_rights(person).vote
        signs = []
        for kind in MEETINGS:
            status = attendance[kind].get(record.id)
            if status is None and voter and attendance[kind]:
                status = "absent"  # a voter not signed in is absent (R2)
            signs.append(STATUS_LABELS.get(status, "") if status else "")
        excluded = [
            f"{MEETINGS[kind]}：{reason.label}（{consent}{'；' + note if note else ''}）"
            for kind in MEETINGS
            for person_id, reason, consent, note in exclusions[kind]
            if person_id == record.id
        ]
        values = (
            number,
            person.name,
            record.gender or "",
            person.birth,
            person.joined,
            person.confirmed,
            person.status.label,
            person.discipline.label,
            rights_text(record),
            EMPLOYMENT_LABELS.get(record.employment, record.employment),
            _yes(person.local_relation),
            record.contact,
            record.note,
            record.left_on or "",
            *signs,
            "；".join(excluded),
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)

    row += 2
    _put(sheet, row, 1, "各次会议到会情况 (R1–R3)", bold=True)
    row += 1
    _header(sheet, row, MEETING_HEADERS)
    for kind, title in MEETINGS.items():
        row += 1
        _put(sheet, row, 1, title)
        figures = meeting_figures(election, kind)
        if not figures.status:
            _put(sheet, row, 2, "未登记签到")
            continue
        values: tuple[object, ...] = (
            figures.expected,
            figures.present,
            figures.leave,
            figures.absent,
            len(figures.excluded),
            figures.quorum.minimum_present,
            _yes(figures.quorum.met),
            figures.attendance_rate,
            figures.observers_present,
        )
        for column, value in enumerate(values, start=2):
            _put(sheet, row, column, value, number_format=PERCENT if column == 9 else None)

    row += 2
    _put(sheet, row, 1, "选举项目 (R10, R15)", bold=True)
    row += 1
    _header(
        sheet, row, ("项目", "名称", "应选人数", "候选人（选票顺序）", "轮次", "已当选", "状态")
    )
    for number, record in enumerate(election.contests(), start=1):
        row += 1
        rounds = election.rounds(record.id)
        progress = election.contest_progress(record.id)
        state = (
            "已完成" if progress.done else f"尚需{progress.next_round.kind.label}"  # type: ignore[union-attr]
        )
        values = (
            f"项目{number}",
            record.contest.display_title,
            record.contest.seats,
            "、".join(record.contest.candidates),
            len(rounds),
            "、".join(progress.elected),
            state,
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)

    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    _print_setup(sheet, f"{header_row}:{header_row}", landscape=True)


# ---- 推荐统计 --------------------------------------------------------------------------

RECOMMENDATION_HEADERS = (
    "名次",
    "姓名",
    "党员推荐",
    "群众推荐",
    "组织推荐",
    "个人自荐",
    "得分",
    "计算 (N3)",
    "初步人选 (N5)",
)


def _rank_numbers(scores: Sequence[tuple[str, Fraction]]) -> list[int]:
    """Competition ranking: equal scores share a place (1, 2, 2, 4)."""
    return [1 + sum(1 for _, other in scores if other > value) for _, value in scores]


def _recommendation_sheet(sheet: Worksheet, election: ElectionFile) -> None:
    """N1–N5: per position the votes by channel, the score with its formula and the line;
    forms issued and returned; the qualification review and its decisions (N4)."""
    plan = election.plan()
    _title(
        sheet,
        "民主推荐统计",
        f"计分方法：{plan.nomination.method.label} (N3)；得分相同者名次相同",
    )
    _widths(sheet, (8, 12, 10, 10, 10, 10, 10, 36, 14))
    row = 3
    position_rankings = rankings(election)
    if not position_rankings:
        row += 1
        _put(sheet, row, 1, "未设置民主推荐")
    for ranking in position_rankings:
        result = ranking.result
        shortlist = result.shortlist
        row += 1
        forms = "；".join(
            f"{CHANNEL_LABELS[channel]}有效 {ranking.valid_forms.get(channel, 0)} 张、"
            f"无效 {ranking.invalid_forms.get(channel, 0)} 张"
            for channel in ("member", "mass")
        )
        _put(
            sheet,
            row,
            1,
            f"{ranking.position.label}：应选 {ranking.seats} 人，差额比例 "
            f"{percent(ranking.ratio, 0)}，初步人选 {shortlist.size} 人 (N5)；{forms} (N2)",
            bold=True,
        )
        row += 1
        _header(sheet, row, RECOMMENDATION_HEADERS)
        for place, (key, value) in zip(
            _rank_numbers(shortlist.ranking), shortlist.ranking, strict=True
        ):
            row += 1
            tally = ranking.tallies[key]
            mark = _chosen_mark(key, shortlist)
            values = (
                place,
                ranking.name(key),
                tally.member,
                tally.mass,
                "是" if tally.organization else "",
                "是" if tally.self_nominated else "",
                value,
                result.scores[key].formula,
                mark,
            )
            for column, cell_value in enumerate(values, start=1):
                number_format = None
                if column == 7:
                    number_format = "0" if value.denominator == 1 else "0.0000"
                _put(sheet, row, column, cell_value, number_format=number_format)
        row += 1

    row += 1
    _put(sheet, row, 1, "推荐票发出与收回 (N1)", bold=True)
    row += 1
    _header(sheet, row, ("渠道", "发出", "收回", "收回率"), first_column=2)
    counts = election.form_counts("recommendation")
    for channel in ("member", "mass"):
        if channel not in counts:
            continue
        issued, returned = counts[channel]
        row += 1
        _put(sheet, row, 2, CHANNEL_LABELS[channel])
        _put(sheet, row, 3, issued)
        _put(sheet, row, 4, returned)
        _put(sheet, row, 5, Fraction(returned, issued) if issued else None, number_format=PERCENT)
    if not counts:
        row += 1
        _put(sheet, row, 2, "未登记")

    row += 2
    _put(sheet, row, 1, "资格审查 (N4)", bold=True)
    row += 1
    _header(
        sheet, row, ("职务", "姓名", "条件审查", "不符合的条件", "审查决定", "说明"), first_column=2
    )
    for review in review_rows(election):
        row += 1
        decision = (
            "未决定" if review.decision is None else ("通过" if review.decision else "不通过")
        )
        values = (
            review.position.label,
            review.name,
            "符合" if review.check.eligible else "不符合",
            "；".join(f.detail for f in review.check.failures),
            decision,
            review.note,
        )
        for column, value in enumerate(values, start=2):
            _put(sheet, row, column, value)

    sheet.freeze_panes = "A3"
    _print_setup(sheet, "1:2", landscape=False)


# ---- 测评统计 --------------------------------------------------------------------------


def _evaluation_headers(labels: Sequence[str]) -> list[str]:
    return [
        "名次",
        "姓名",
        "方面",
        *labels,
        "空白",
        f"“{labels[0]}”比例（全体）",
        "党员评价比例",
        "群众评价比例",
        "评定 (E3)",
        "综合得分 (E5)",
        "否决原因 (E4)",
        "预备人选",
    ]


def _evaluation_sheet(sheet: Worksheet, election: ElectionFile) -> None:
    """E1–E5: per person and dimension the counts and the share of the top grade, members'
    and non-members' shares side by side, the composite, the veto and the 预备人选 mark."""
    plan = election.plan()
    options = plan.evaluation
    labels = options.labels
    headers = _evaluation_headers(labels)
    _title(sheet, "民主测评统计", "；".join(plan.describe()[-3:]) if plan.has_evaluation else "")
    _widths(sheet, (6, 10, 6, 7, 7, 7, 7, 7, 12, 12, 12, 12, 12, 40, 10))
    row = 3
    results = evaluation_results(election) if plan.has_evaluation else []
    if not plan.has_evaluation:
        row += 1
        _put(sheet, row, 1, "本次选举方案不进行民主测评")
    elif not results:
        row += 1
        _put(sheet, row, 1, "尚无测评对象")
    for result in results:
        overall = result.overall
        shortlist = overall.shortlist
        row += 1
        _put(
            sheet,
            row,
            1,
            f"{result.position.label}：应选 {result.seats} 人，预备人选 {shortlist.size} 人"
            f"（差额比例 {percent(options.ratio, 0)}） (E5, N5)",
            bold=True,
        )
        row += 1
        _header(sheet, row, headers)
        places = dict(
            zip(
                (key for key, _ in shortlist.ranking),
                _rank_numbers(shortlist.ranking),
                strict=True,
            )
        )
        ordered = [overall.of(key) for key, _ in shortlist.ranking] + [
            c for c in overall.candidates if c.name not in places
        ]
        for candidate in ordered:
            groups = {group: result.by_group[group].of(candidate.name) for group in RaterGroup}
            for index in range(len(candidate.dimensions)):
                row += 1
                first = index == 0
                _evaluation_row(
                    sheet,
                    row,
                    candidate,
                    index,
                    groups,
                    place=places.get(candidate.name) if first else None,
                    name=result.name(candidate.name),
                    chosen=_chosen_mark(candidate.name, shortlist) if first else "",
                    first=first,
                )
        row += 1

    row += 1
    _put(sheet, row, 1, "测评表发出与收回 (E1)", bold=True)
    row += 1
    _header(sheet, row, ("", "评价人", "发出", "收回", "收回率", "超过五分之四"), first_column=1)
    for group, figures in participation(election).items():
        row += 1
        _put(sheet, row, 2, group.label)
        _put(sheet, row, 3, figures.issued)
        _put(sheet, row, 4, figures.returned)
        _put(sheet, row, 5, figures.rate if figures.issued else None, number_format=PERCENT)
        _put(sheet, row, 6, _yes(figures.over_four_fifths) if figures.issued else "")
    row += 2
    _put(sheet, row, 1, "说明：党员、群众评价比例为空白的，表示该类人员对这一方面没有有效评价。")

    sheet.freeze_panes = "A3"
    _print_setup(sheet, "1:2", landscape=True)


def _chosen_mark(key: str, shortlist: Shortlist) -> str:
    """N5: on the list, and whether only because of a tie at the cut-off."""
    if key not in shortlist.chosen:
        return ""
    return "是（并列）" if key in shortlist.tied_at_cutoff else "是"


def _evaluation_row(
    sheet: Worksheet,
    row: int,
    candidate: CandidateEvaluation,
    index: int,
    groups: dict[RaterGroup, CandidateEvaluation],
    *,
    place: int | None,
    name: str,
    chosen: str,
    first: bool,
) -> None:
    dimension = candidate.dimensions[index]
    judged = "优" if dimension.excellent else "未达到"
    if dimension.no_ratings:
        judged = "无有效评价"
    group_shares = []
    for group in (RaterGroup.MEMBER, RaterGroup.NON_MEMBER):
        own = groups[group].dimensions[index]
        group_shares.append(None if own.no_ratings else own.share)
    values: tuple[object, ...] = (
        place,
        name,
        dimension.dimension,
        *dimension.counts,
        dimension.blank,
        dimension.share,
        *group_shares,
        judged,
        candidate.composite if first else None,
        "；".join(candidate.veto_reasons) if first else "",
        chosen,
    )
    for column, value in enumerate(values, start=1):
        number_format = PERCENT if column in (9, 10, 11) else None
        if column == 13 and first:
            number_format = "0.00"
        _put(sheet, row, column, value, number_format=number_format)


# ---- rounds ----------------------------------------------------------------------------


def _count_options(election: ElectionFile, round_id: int) -> CountOptions:
    """The options a decided round was counted under (its stored basis), else the plan's."""
    stored = election.stored_figures(round_id)
    if stored is None:
        return election.plan().counting
    basis = json.loads(stored)["basis"]
    return CountOptions(
        WriteInWithoutMark(basis["writein_without_mark"]),
        bool(basis["tie_break_requires_majority"]),
    )


def _writein_approvals(record: PaperRecord, options: CountOptions) -> list[str]:
    """R6: the names a paper's write-ins approve (with ○, or without under count_as_for)."""
    names: list[str] = []
    for write_in in record.paper.write_ins:
        approves = (
            write_in.marked or options.writein_without_mark is WriteInWithoutMark.COUNT_AS_FOR
        )
        if approves and write_in.name not in names:
            names.append(write_in.name)
    return names


def _bracketed(names: Sequence[str]) -> str:
    """「甲」「乙」: each name closed on both sides, so a 核对 pattern never matches a part."""
    return "".join(f"「{name}」" for name in names)


class _PaperColumns:
    """Where things are on a 逐张 sheet, for the 汇总 sheet's cross-check formulas."""

    def __init__(self, sheet: str, candidates: int, rows: int) -> None:
        self.sheet = quote_sheetname(sheet)
        self.candidates = candidates
        self.last_row = max(FIRST_PAPER_ROW, FIRST_PAPER_ROW + rows - 1)
        self.write_ins = candidates + 2
        self.approved_write_ins = candidates + 3
        self.validity = candidates + 4
        self.state = candidates + 6

    def range(self, column: int) -> str:
        letter = get_column_letter(column)
        return f"{self.sheet}!${letter}${FIRST_PAPER_ROW}:${letter}${self.last_row}"

    def counted(self, validity: str | None = VALID) -> str:
        """Criteria pairs: a counted row (有效录入), and valid or invalid when asked."""
        parts = [f'{self.range(self.state)},"{PaperState.COUNTED.label}"']
        if validity is not None:
            parts.append(f'{self.range(self.validity)},"{validity}"')
        return ",".join(parts)

    def approvals(self, name: str, index: int | None) -> str:
        """核对: valid counted papers with ○ beside the name, or approving it by a write-in."""
        pattern = f'"*{_bracketed([name])}*"'
        by_write_in = f"{self.range(self.approved_write_ins)},{pattern},{self.counted()}"
        if index is None:
            return f"=COUNTIFS({by_write_in})"
        column = self.range(2 + index)
        return (
            f'=COUNTIFS({column},"{Mark.FOR.symbol}",{self.counted()})'
            f'+COUNTIFS({column},"<>{Mark.FOR.symbol}",{by_write_in})'
        )


def _explanation(judgement: PaperJudgement) -> str:
    """The paper's judgement in words, a void reason that only repeats the kind of invalid
    paper said once (监票人宣布作废, not 监票人宣布作废：监票人宣布作废)."""
    reason = judgement.reason
    if not judgement.valid and reason is not None and judgement.detail.strip() == reason.label:
        return f"废票：{reason.label}"
    return judgement.explanation()


MARK_ORDER = {Mark.FOR: 0, Mark.AGAINST: 1, Mark.NONE: 2}
STATE_ORDER = {PaperState.COUNTED: 0, PaperState.CORRECTED: 1, PaperState.WITHDRAWN: 2}


def _scan_source(page: ScanPageRecord) -> str:
    """A scanned row says only that it was scanned and whether a person decided it: the
    image's file name and page follow the order of the stack, the person the shift."""
    return "扫描" if page.decided_by is None else "扫描，计票人对照图像核定"


def _papers_sheet(
    sheet: Worksheet,
    election: ElectionFile,
    title: str,
    record: RoundRecord,
    history: Sequence[PaperRecord],
    options: CountOptions,
) -> _PaperColumns:
    """R5, R6: every entered row as read, its judgement; corrected and withdrawn rows stay.

    Rows are sorted by what they say (state, validity, marks, write-ins, source), never in
    the order they were entered, and carry no operator and no time: if the stack kept the
    order of casting, entry order and sign-in order could be matched (docs/secrecy.md).
    A correction names the row it corrects by this table's 序号.
    """
    spec = record.spec
    collected = "未登记" if record.papers_collected is None else f"{record.papers_collected} 张"
    _title(
        sheet,
        f"{title}　第 {record.number} 轮（{spec.kind.label}）逐张选票记录",
        f"应选 {spec.seats} 人；实到会有选举权 {spec.present_voters} 人；发出选票 "
        f"{spec.papers_issued} 张；收回 {collected}；本轮{record.status.label}；"
        f"只有录入状态为“{PaperState.COUNTED.label}”的行计入结果；"
        "各行按选票内容排列，不按录入先后",
    )
    columns = _PaperColumns(sheet.title, len(spec.candidates), len(history))
    headers = [
        "序号",
        *spec.candidates,
        "另选他人",
        "另选他人计入赞成 (R6)",
        "有效/无效",
        "说明 (R5)",
        "录入状态",
        "备注",
        "来源",
    ]
    _header(sheet, 3, headers)
    scans = {p.paper_id: p for p in election.scan_pages(record.id) if p.paper_id is not None}

    def source(paper_record: PaperRecord) -> str:
        """Where the row came from: keyed, a pass of double entry, a ballot box, a scan."""
        page = scans.get(paper_record.id)
        if page is not None:
            return _scan_source(page)
        if paper_record.box:
            return f"票箱 {paper_record.box}"
        if record.double_entry:
            if paper_record.entry_pass == 0:
                return "监票人核定（双人录入不一致）"
            return f"双人录入第 {paper_record.entry_pass} 遍"
        return "键入"

    rows: dict[int, tuple[object, ...]] = {}
    judgements: dict[int, PaperJudgement] = {}
    for paper_record in history:
        paper = paper_record.paper
        judgement = judge_paper(paper, spec, options)
        judgements[paper_record.id] = judgement
        write_ins = "、".join(
            w.name + (Mark.FOR.symbol if w.marked else "（未画○）") for w in paper.write_ins
        )
        rows[paper_record.id] = (
            STATE_ORDER[paper_record.state],
            0 if judgement.valid else 1,
            tuple(MARK_ORDER[mark] for mark in paper.marks),
            write_ins,
            _explanation(judgement),
            source(paper_record),
        )
    # Rows that read alike are told apart by the row they correct or are corrected by,
    # still by content: nothing of the entry order decides where a row stands.
    corrected_by = {p.supersedes: p.id for p in history if p.supersedes is not None}

    def key(paper_record: PaperRecord) -> tuple[object, ...]:
        partner = paper_record.supersedes or corrected_by.get(paper_record.id)
        return (rows[paper_record.id], rows.get(partner, ()) if partner else ())

    ordered = sorted(history, key=key)
    number_of = {paper.id: number for number, paper in enumerate(ordered, start=1)}
    for row, paper_record in enumerate(ordered, start=FIRST_PAPER_ROW):
        paper = paper_record.paper
        judgement = judgements[paper_record.id]
        _, _, _, write_ins, explanation, origin = rows[paper_record.id]
        note = ""
        if paper_record.supersedes is not None:
            note = f"更正序号 {number_of.get(paper_record.supersedes, '?')} 的原录入"
        values = (
            number_of[paper_record.id],
            *(mark.symbol for mark in paper.marks),
            write_ins,
            _bracketed(_writein_approvals(paper_record, options)),
            VALID if judgement.valid else INVALID,
            explanation,
            paper_record.state.label,
            note,
            origin,
        )
        grey = None if paper_record.state is PaperState.COUNTED else "808080"
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value, color=grey)
            if 2 <= column < 2 + len(spec.candidates):
                cell.alignment = _alignment("center")
    _widths(
        sheet,
        (6, *(max(6, 2 * len(n) + 2) for n in spec.candidates), 16, 16, 9, 34, 10, 22, 24),
    )
    sheet.freeze_panes = "B4"
    _print_setup(sheet, "3:3", landscape=True)
    return columns


def _result_text(name: str, result: RoundResult) -> str:
    if name in result.elected:
        return "当选"
    if name in result.tied:
        return "得票相等，须重新投票 (R8)"
    return "未当选"


def _summary_sheet(
    sheet: Worksheet,
    election: ElectionFile,
    title: str,
    contest_id: int,
    record: RoundRecord,
    result: RoundResult,
    columns: _PaperColumns,
) -> None:
    """R4–R9, R14: the round's figures as values; beside them the 核对 formulas that
    count the 逐张 sheet again (valid counted rows only)."""
    spec = record.spec
    _title(
        sheet,
        f"{title}　第 {record.number} 轮（{spec.kind.label}）计票结果",
        f"本轮{record.status.label}；“核对”列为公式，按逐张表重新统计，应与左侧数值一致",
    )
    _widths(sheet, (28, 12, 12, 12, 12, 12, 14, 26, 16))
    _header(sheet, 3, ("项目", "数值", "核对（公式）", "说明"))
    expected = meeting_figures(election, "election")
    threshold_note = (
        "超过实到会有选举权人数的半数 (R7)"
        if result.threshold_applied
        else "重新投票以得票多者当选，不要求过半数 (R8)"
    )
    invalid_note = "；".join(f"{reason.label} {n} 张" for reason, n in result.invalid_by_reason)
    collected = record.papers_collected
    figures: list[tuple[str, object, str | None, str]] = [
        ("应选人数", spec.seats, None, ""),
        ("应到会人数（选举大会）", expected.expected if expected.status else None, None, "R2"),
        ("实到会有选举权人数", spec.present_voters, None, "R3"),
        ("发出选票", spec.papers_issued, None, "R4"),
        ("收回选票（登记）", collected, None, "R4"),
        ("录入计票的选票", result.papers_collected, f"=COUNTIFS({columns.counted(None)})", ""),
        ("有效票", result.valid_papers, f"=COUNTIFS({columns.counted(VALID)})", "R5"),
        ("无效票", result.invalid_papers, f"=COUNTIFS({columns.counted(INVALID)})", invalid_note),
        (
            "当选所需最少赞成票",
            result.threshold if result.threshold_applied else "不适用",
            None,
            threshold_note,
        ),
        (
            "本轮选举有效",
            _yes(result.round_valid),
            None,
            "" if result.round_valid else "收回选票多于发出选票，本轮无效，须重新选举 (R4)",
        ),
        ("当选", "、".join(result.elected), None, ""),
        ("得票相等须重新投票", "、".join(result.tied), None, "R8"),
        ("重新投票名额", result.tie_seats, None, "R8"),
        ("未选满名额", result.unfilled_seats, None, "R9"),
        (
            "本项目已当选（已确认各轮）",
            "、".join(election.contest_progress(contest_id).elected),
            None,
            "",
        ),
    ]
    row = 3
    for label, value, formula, note in figures:
        row += 1
        _put(sheet, row, 1, label)
        _put(sheet, row, 2, value)
        if formula:
            _formula(sheet, row, 3, formula)
        _put(sheet, row, 4, note)

    row += 2
    _header(
        sheet,
        row,
        (
            "姓名",
            "类别",
            "赞成",
            "不赞成",
            "弃权",
            "可被选举 (R1)",
            "达到当选票数",
            "结果",
            "核对：赞成（公式）",
        ),
    )
    for person in result.votes:
        row += 1
        values = (
            person.name,
            "候选人" if person.listed else "另选他人",
            person.approvals,
            person.against if person.listed else None,
            person.abstain if person.listed else None,
            _yes(person.electable),
            _yes(person.passed),
            _result_text(person.name, result),
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
        _formula(sheet, row, 9, columns.approvals(person.name, spec.index_of(person.name)))
    sheet.freeze_panes = "A4"
    _print_setup(sheet, "1:3", landscape=False)


# ---- the workbook ----------------------------------------------------------------------


def _utc(stamp: datetime) -> datetime:
    """Workbook properties hold naive UTC times."""
    if stamp.tzinfo is None:
        return stamp
    return stamp.astimezone(UTC).replace(tzinfo=None)


def _save(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with the given times inside and on every zip member: same stamp, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook would reset `modified`
    when = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))


def workbook_sheet_names(election: ElectionFile) -> list[str]:
    """The sheets :func:`write_workbook` writes, in order."""
    names = [ROSTER_SHEET, RECOMMENDATION_SHEET, EVALUATION_SHEET]
    for number, record in enumerate(election.contests(), start=1):
        for round_record in election.rounds(record.id):
            names.extend(round_sheet_names(number, round_record.number))
    return names


def write_workbook(election: ElectionFile, path: Path, stamp: datetime | None = None) -> Path:
    """The archive packet's counting workbook (issue #8): roster and sign-in (R1–R3),
    recommendation (N1–N5), evaluation (E1–E5), and per round every paper (R5, R6) and
    the result with 核对 formulas (R4–R9, R14). Marked 未完成 while anything is open.

    ``stamp`` is the export time written into the file (default: now); with the same
    stamp two exports of the same election are byte-identical.
    """
    path = Path(path)
    stamp = stamp or datetime.now().astimezone()
    workbook = Workbook()
    workbook.properties.creator = CREATOR
    workbook.properties.title = f"{election.election_details()['title']}　计票统计表"
    workbook.properties.created = _utc(stamp)
    workbook.properties.modified = _utc(stamp)
    first = workbook.active
    assert isinstance(first, Worksheet)
    _roster_sheet(first, election, unfinished_reasons(election), stamp)
    _recommendation_sheet(workbook.create_sheet(RECOMMENDATION_SHEET), election)
    _evaluation_sheet(workbook.create_sheet(EVALUATION_SHEET), election)
    for number, record in enumerate(election.contests(), start=1):
        title = f"项目{number}　{record.contest.display_title}"
        for round_record in election.rounds(record.id):
            papers_name, summary_name = round_sheet_names(number, round_record.number)
            options = _count_options(election, round_record.id)
            columns = _papers_sheet(
                workbook.create_sheet(papers_name),
                election,
                title,
                round_record,
                election.paper_history(round_record.id),
                options,
            )
            _summary_sheet(
                workbook.create_sheet(summary_name),
                election,
                title,
                record.id,
                round_record,
                election.count(round_record.id),
                columns,
            )
    _save(workbook, path, stamp)
    return path


__all__ = [
    "round_sheet_names",
    "sheet_name",
    "unfinished_reasons",
    "workbook_sheet_names",
    "write_workbook",
]
