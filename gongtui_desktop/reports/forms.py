"""The printable forms: ballot papers (选票), recommendation forms (推荐票) and
evaluation forms (测评表), several copies per file, one copy per page.

Every form is laid out with ``docx_base`` (GB/T 9704 margins, fonts named explicitly). These
are papers voters fill in, so every copy is identical and there is no footer: no page
number, no hash of the election file, nothing per copy or per printing (the secret ballot).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocumentType
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from gongtui_desktop.domain.contest import ContestProgress
from gongtui_desktop.domain.counting import RoundKind
from gongtui_desktop.domain.evaluation import DIMENSIONS, Overall
from gongtui_desktop.domain.options import WriteInWithoutMark
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.reports.docx_base import (
    BODY_FONT,
    SIZE_TABLE,
    add_heading,
    add_table,
    add_text,
    add_title,
    new_document,
    save,
    set_font,
)
from gongtui_desktop.scanning.layout import (
    QR_SIZE,
    BallotLayout,
    LayoutError,
    RowKind,
    ballot_layout,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import RoundStatus

SIZE_SMALL = Pt(10.5)  # 五号
NOTE_LINE = Pt(20)
CHINESE_DIGITS = "一二三四五六七八九十"
IDENTITY_LINE = "□党员　　□群众"
# A ballot is a form, not an official document: narrower margins leave room for one sheet
# of up to five columns of candidates (scanning.layout.FRAME_WIDTH = 210 - 2 × 20 mm).
BALLOT_MARGIN_MM = 20.0
PLAIN_WIDTHS_MM = (120.0, 50.0)  # a contest too large for one sheet: room to write a name
ROW_HEIGHT = Mm(11)


# ---- shared pieces ---------------------------------------------------------


def _check_copies(copies: int) -> None:
    if copies < 1:
        raise ValueError(f"份数至少为 1，收到 {copies}")


def _joined(organization: str, title: str) -> str:
    """``区统计局党支部`` + ``支部委员会委员`` → ``区统计局党支部委员会委员`` (no 支部支部)."""
    for overlap in range(min(len(organization), len(title)), 1, -1):
        if organization.endswith(title[:overlap]):
            return organization + title[overlap:]
    return organization + title


def _organization(election: ElectionFile) -> str:
    return str(election.election_details().get("organization") or "")


def _copy_title(document: DocumentType, text: str, copy_index: int) -> Paragraph:
    """The title that starts a copy; every copy after the first starts a new page."""
    paragraph = add_title(document, text)
    if copy_index > 0:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _centred(document: DocumentType, text: str) -> Paragraph:
    paragraph = add_text(document, text, indent=False)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _notes(
    document: DocumentType,
    lines: Sequence[str],
    size: Pt = SIZE_TABLE,
    spacing: Pt = NOTE_LINE,
) -> None:
    """填写说明 in 仿宋 (小四 unless told), numbered, kept together on the copy's page."""
    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.line_spacing = spacing
    set_font(heading.add_run("填写说明："), BODY_FONT, size, bold=True)
    for number, line in enumerate(lines, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)  # two characters
        paragraph.paragraph_format.line_spacing = spacing
        paragraph.paragraph_format.keep_with_next = number < len(lines)
        set_font(paragraph.add_run(f"{number}. {line}"), BODY_FONT, size)


def _write(cell: _Cell, text: str, size: Pt = SIZE_TABLE, bold: bool = False) -> None:
    """Replace a cell's content by one centred line in 仿宋."""
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run._element.getparent().remove(run._element)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if text:
        set_font(paragraph.add_run(text), BODY_FONT, size, bold=bold)


def _merge(
    first: _Cell, last: _Cell, text: str, size: Pt = SIZE_TABLE, bold: bool = False
) -> _Cell:
    """Merged cells with one line of text (python-docx would keep every cell's paragraphs)."""
    cell = first.merge(last)
    _write(cell, text, size, bold)
    return cell


def _row_style(row: _Row, height: Mm = ROW_HEIGHT, header: bool = False) -> None:
    """A row tall enough to write in, never split across pages; header rows repeat."""
    row.height = height
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    properties = row._tr.get_or_add_trPr()
    # Schema order of w:trPr: cantSplit, trHeight, tblHeader.
    properties.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader")
    if header:
        properties.insert_element_before(OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc")
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Column widths for Word (cell widths) and for WPS/LibreOffice (the table grid)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


# ---- 选票 (R5, R6, R11) ----------------------------------------------------


def _ballot_round(
    election: ElectionFile, contest_id: int, round_id: int | None
) -> tuple[RoundKind, int, tuple[str, ...], int]:
    """Kind, seats, candidates (paper order) and number of the round to print.

    Without ``round_id``: the contest's first round when it has none; the round being held
    when the last one is not confirmed yet; otherwise the round the results call for next
    (R4, R8, R9).
    """
    record = election.contest(contest_id)
    contest = record.contest
    if round_id is not None:
        held = election.round(round_id)
        if held.contest_id != contest_id:
            raise ValueError(f"第 {held.number} 轮不属于{contest.display_title}")
        return held.spec.kind, held.spec.seats, held.spec.candidates, held.number
    rounds = election.rounds(contest_id)
    if not rounds:
        kind, seats, candidates, number = RoundKind.REGULAR, contest.seats, contest.candidates, 1
    elif rounds[-1].status is not RoundStatus.CONFIRMED:
        spec = rounds[-1].spec
        kind, seats, candidates, number = spec.kind, spec.seats, spec.candidates, rounds[-1].number
    else:
        progress: ContestProgress = election.contest_progress(contest_id)
        following = progress.next_round
        if following is None:
            raise ValueError(f"{contest.display_title}已选举完毕，无须再印选票")
        kind, seats, candidates = following.kind, following.seats, following.candidates
        number = rounds[-1].number + 1
    if not candidates:
        raise ValueError(f"{contest.display_title}还没有确定候选人，不能印制选票")
    return kind, seats, candidates, number


def ballot_notes(seats: int, writein_without_mark: WriteInWithoutMark) -> tuple[str, ...]:
    """The 填写说明 of a ballot in the 2020 条例 wording (R5, R6)."""
    unmarked = (
        "只写姓名、未画“○”的，不计为赞成"
        if writein_without_mark is WriteInWithoutMark.IGNORE
        else "只写姓名、未画“○”的，按赞成计"
    )
    return (
        "对候选人，赞成的在其姓名右侧符号栏内画“○”，不赞成的画“×”，弃权的不画任何符号。",
        f"另选他人的，在“另选他人”栏的空格内写上其姓名，并在其右侧符号栏内画“○”；{unmarked}。",
        f"本次应选 {seats} 名。所选人数（画“○”的候选人和另选他人合计）等于或少于应选人数的"
        "为有效票，多于应选人数的为废票。",
        "请用黑色或蓝色钢笔、签字笔填写，字迹清楚，符号准确。",
    )


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _box(cell: _Cell) -> None:
    """0.5 pt single borders on every side of a cell (the reader finds the box by them)."""
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    properties.append(borders)


def _frame_table(document: DocumentType, layout: BallotLayout) -> Table:
    """The grid of ``layout`` exactly: fixed column widths, exact row heights, no cell margins
    and no borders except the boxes', so that the printed geometry is the reader's."""
    slot_rows = layout.candidate_rows + layout.write_in_rows
    rows = len(layout.rows) - 2 + slot_rows
    table = document.add_table(rows=rows, cols=len(layout.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout_element = OxmlElement("w:tblLayout")
    layout_element.set(qn("w:type"), "fixed")
    properties.append(layout_element)
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    heights: list[float] = []
    for kind, height in layout.rows:
        if kind is RowKind.CANDIDATES:
            heights += [layout.slot_row] * layout.candidate_rows
        elif kind is RowKind.WRITE_INS:
            heights += [layout.slot_row] * layout.write_in_rows
        else:
            heights.append(height)
    for row, height in zip(table.rows, heights, strict=True):
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        row._tr.get_or_add_trPr().insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight")
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _write(cell, "")
    _fix_widths(table, layout.columns)
    return table


def _ballot_sheet(document: DocumentType, layout: BallotLayout, code: str, name_size: Pt) -> Table:
    """One copy's frame: fiducials, QR code, candidates column by column, write-in slots."""
    table = _frame_table(document, layout)
    last = len(layout.columns) - 1
    top, code_row, header = table.rows[0], table.rows[1], table.rows[2]
    bottom = table.rows[-1]
    for row in (top, bottom):
        _shade(row.cells[0], "000000")
        _shade(row.cells[last], "000000")
        row.cells[1].merge(row.cells[last - 1])
    qr_cell = code_row.cells[1].merge(code_row.cells[last - 1])
    paragraph = qr_cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    picture = set_font(paragraph.add_run(), BODY_FONT, SIZE_SMALL)
    # The QR library loads only when machine-readable ballots are printed, not at start-up.
    from gongtui_desktop.scanning.qr import qr_png

    picture.add_picture(io.BytesIO(qr_png(code)), width=Mm(QR_SIZE))
    for group in range(layout.groups):
        name, mark = header.cells[1 + 2 * group], header.cells[2 + 2 * group]
        _write(name, "候选人姓名", SIZE_SMALL, bold=True)
        _write(mark, "符号", SIZE_SMALL, bold=True)
        _box(name)
        _box(mark)
    first = 3
    for group in range(layout.groups):
        for row_index in range(layout.candidate_rows):
            index = group * layout.candidate_rows + row_index
            row = table.rows[first + row_index]
            name, mark = row.cells[1 + 2 * group], row.cells[2 + 2 * group]
            if index < len(layout.candidates):
                _write(name, layout.candidates[index], name_size)
                _box(name)
                _box(mark)
            else:
                _shade(name, "D9D9D9")
                _shade(mark, "D9D9D9")
    label = table.rows[first + layout.candidate_rows]
    _merge(
        label.cells[1],
        label.cells[last - 1],
        "另选他人（在下面空格内写上姓名，并在其右侧符号栏内画“○”）",
        SIZE_SMALL,
        bold=True,
    )
    _box(label.cells[1])
    first += layout.candidate_rows + 1
    for group in range(layout.groups):
        for row_index in range(layout.write_in_rows):
            index = group * layout.write_in_rows + row_index
            row = table.rows[first + row_index]
            name, mark = row.cells[1 + 2 * group], row.cells[2 + 2 * group]
            if index < layout.write_in_slots:
                _box(name)
                _box(mark)
            else:
                _shade(name, "D9D9D9")
                _shade(mark, "D9D9D9")
    return table


def _plain_ballot(document: DocumentType, candidates: Sequence[str], seats: int) -> None:
    """A contest too large for one machine-readable sheet: one name per row over as many
    pages as it takes, the header row repeated on each."""
    table = add_table(
        document, ("候选人姓名", "符号"), [(name, "") for name in candidates], PLAIN_WIDTHS_MM
    )
    label = table.add_row()
    _merge(label.cells[0], label.cells[1], "另选他人（在下面空格内写上姓名）", bold=True)
    for _ in range(seats):
        table.add_row()
    for number, row in enumerate(table.rows):
        _row_style(row, header=number == 0)
    _fix_widths(table, PLAIN_WIDTHS_MM)


def write_ballots(
    election: ElectionFile,
    contest_id: int,
    round_id: int | None,
    copies: int,
    path: Path,
    *,
    scrutineer_line: bool = True,
) -> Path:
    """``copies`` ballot papers of a contest's round, one sheet each (R5, R6, R11).

    Candidates stand in the stored order: committee in 姓氏笔画 order, secretary and deputy
    in the order the higher organization approved (R11), column by column when they need
    more than one. One blank write-in slot per seat. Every copy is machine-readable:
    corner fiducials and a QR code naming the election, contest, round and layout —
    the same on every copy, so nothing tells one voter's paper from another's; no page number
    and no footer either. A contest too large for one sheet gets a plain ballot over
    several pages, to be keyed in.
    """
    _check_copies(copies)
    contest = election.contest(contest_id).contest
    kind, seats, candidates, number = _ballot_round(election, contest_id, round_id)
    try:
        layout: BallotLayout | None = ballot_layout(candidates, seats)
    except LayoutError:
        layout = None  # too many for one sheet: a plain ballot over several pages, keyed in
    code = "" if layout is None else layout.code(election.election_id, contest_id, number).text
    title = f"{_joined(_organization(election), contest.display_title)}选举选票"
    if kind is not RoundKind.REGULAR:
        title += f"（{kind.label}）"
    subtitle = f"应选 {seats} 名　候选人 {len(candidates)} 名"
    if contest.position.stroke_ordered and kind is RoundKind.REGULAR:
        subtitle += "（按姓氏笔画为序）"
    notes = ballot_notes(seats, election.plan().counting.writein_without_mark)
    # The sizes the reader expects (layout.name_size): 小四 in one column group, else 五号.
    name_size = SIZE_TABLE if layout is None or layout.groups == 1 else SIZE_SMALL
    if layout is None:
        notes = (*notes, "本选票候选人较多，不是机读选票：计票时逐张键入。")

    document = new_document()
    section = document.sections[0]
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(BALLOT_MARGIN_MM))
    for index in range(copies):
        heading = _copy_title(document, title, index)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        line = _centred(document, subtitle)
        line.paragraph_format.keep_with_next = True
        if layout is None:
            _plain_ballot(document, candidates, seats)
        else:
            _ballot_sheet(document, layout, code, name_size)
        _notes(document, notes, SIZE_SMALL, Pt(15))
        if scrutineer_line:
            add_text(document, "监票人（签字）：＿＿＿＿＿＿＿＿", indent=False, align_right=True)
    return save(document, path, election.short_hash, voter_form=True)


# ---- 推荐票 (N1, N2) -------------------------------------------------------


RECOMMENDATION_NOTES = (
    "请在推荐人身份相应的“□”内画“√”。",
    "请在“被推荐人姓名”栏内填写被推荐人的姓名，每格填写一人。",
    "每一职务推荐人数不得多于职数，可以少于职数；多于职数的，该职务推荐无效。",
    "请用黑色或蓝色钢笔、签字笔填写，字迹清楚。",
)


def write_recommendation_form(election: ElectionFile, copies: int, path: Path) -> Path:
    """``copies`` 推荐票, one per page: per position as many name lines as seats (N1, N2).

    One form for members and non-members, with the line 推荐人身份：□党员 □群众 (N1).
    """
    _check_copies(copies)
    seats = election.recommendation_seats()
    if not seats:
        raise ValueError("尚未设定推荐职数，不能印制推荐票")
    positions = [p for p in Position if p in seats]
    title = f"{_organization(election)}换届选举民主推荐票"

    document = new_document()
    for index in range(copies):
        _copy_title(document, title, index)
        _centred(document, f"推荐人身份：{IDENTITY_LINE}")
        for number, position in enumerate(positions):
            add_heading(
                document,
                f"{CHINESE_DIGITS[number]}、{position.label}人选（职数 {seats[position]} 名）",
            )
            widths = (24.0, 96.0)
            table = add_table(
                document,
                ("序号", "被推荐人姓名"),
                [(line, "") for line in range(1, seats[position] + 1)],
                widths,
            )
            for row_number, row in enumerate(table.rows):
                _row_style(row, Mm(10), header=row_number == 0)
            _fix_widths(table, widths)
        _notes(document, RECOMMENDATION_NOTES)
    return save(document, path, election.short_hash, voter_form=True)


# ---- 测评表 (E1, E2) -------------------------------------------------------


def evaluation_notes(labels: Sequence[str]) -> tuple[str, ...]:
    """The 填写说明 of an evaluation form (E1, E2)."""
    choices = "“" + "”“".join(labels) + "”"
    overall = "“" + "”“".join(o.label for o in Overall) + "”"
    return (
        "请在测评人身份相应的“□”内画“√”。",
        f"对每位测评对象的{'、'.join(DIMENSIONS)}五个方面分别评价，每个方面在{choices}中"
        "只选一项，在相应栏内画“√”。",
        "对某一方面不作评价的，该方面可以空白，不画任何符号。",
        f"总体评价在{overall}中只选一项画“√”，也可以不选。",
    )


def write_evaluation_form(election: ElectionFile, copies: int, path: Path) -> Path:
    """``copies`` 测评表 in landscape, one per page: 德能勤纪廉 with the plan's four labels
    as tick columns, then the overall judgement (E1, E2).
    """
    _check_copies(copies)
    person_ids = election.evaluation_candidates()
    if not person_ids:
        raise ValueError("尚未确定测评对象，不能印制测评表")
    names = {record.id: record.person.name for record in election.people()}
    labels = election.plan().evaluation.labels
    overall = [o.label for o in Overall]
    title = f"{_organization(election)}换届选举民主测评表"
    # 243 mm of text width: name, 5 × 4 grades, 3 overall choices.
    widths = (27.0, *([8.6] * (len(DIMENSIONS) * len(labels))), *([14.0] * len(overall)))
    first_header = ["姓名"]
    for dimension in DIMENSIONS:
        first_header += [dimension] + [""] * (len(labels) - 1)
    first_header += ["总体评价"] + [""] * (len(overall) - 1)
    second_header = ["", *(list(labels) * len(DIMENSIONS)), *overall]
    blank = [""] * (len(widths) - 1)

    document = new_document(landscape=True)
    for index in range(copies):
        _copy_title(document, title, index)
        _centred(document, f"测评人身份：{IDENTITY_LINE}")
        table = add_table(
            document,
            first_header,
            [second_header, *([names[p], *blank] for p in person_ids)],
            widths,
        )
        top, labels_row = table.rows[0], table.rows[1]
        _merge(top.cells[0], labels_row.cells[0], "姓名", bold=True)
        column = 1
        for dimension in DIMENSIONS:
            _merge(top.cells[column], top.cells[column + len(labels) - 1], dimension, bold=True)
            column += len(labels)
        _merge(top.cells[column], top.cells[column + len(overall) - 1], "总体评价", bold=True)
        for cell in labels_row.cells[1:]:
            _write(cell, cell.text, SIZE_SMALL)
        for number, row in enumerate(table.rows):
            _row_style(row, Mm(8) if number < 2 else Mm(10), header=number < 2)
        _fix_widths(table, widths)
        _notes(document, evaluation_notes(labels))
    return save(document, path, election.short_hash, voter_form=True)
