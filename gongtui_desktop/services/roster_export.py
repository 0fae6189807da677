"""The roster as a spreadsheet: the blank import template, and the export of the roster.

Both use the import's column labels (``roster_import.FIELDS``), so an exported roster
can be imported again as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gongtui_desktop.domain.date_text import ACCEPTED_FORMS
from gongtui_desktop.domain.dates import format_chinese_date, whole_years
from gongtui_desktop.domain.people import Discipline, MemberStatus, person_rights
from gongtui_desktop.services.roster_import import FIELDS, REQUIRED_FIELDS
from gongtui_desktop.store.records import PersonRecord

FONT_NAME = "宋体"
DATE_FORMAT = "yyyy-mm-dd"
SHEET_TITLE = "党员名册"
WIDTHS = {
    "name": 10,
    "gender": 6,
    "birth": 12,
    "joined": 12,
    "confirmed": 12,
    "status": 10,
    "employment": 10,
    "local_relation": 10,
    "discipline": 14,
    "contact": 16,
    "note": 24,
}
COMPUTED = (("年龄", 6), ("党龄", 6), ("权利", 40))
EMPLOYMENT_LABELS = {"working": "在职", "retired": "退休"}
TEMPLATE_ROWS = 500  # rows below the header offered drop-down lists in the template

EXAMPLE = {
    "name": "张三",
    "gender": "男",
    "birth": date(1980, 5, 12),
    "joined": date(2005, 7, 1),
    "confirmed": date(2006, 7, 1),
    "status": MemberStatus.FULL.label,
    "employment": "在职",
    "local_relation": "是",
    "discipline": Discipline.NONE.label,
    "contact": "13800000000",
    "note": "示例行，填写名册时请删除",
}
CHOICES = {
    "gender": "男,女",
    "status": "正式党员,预备党员,群众",
    "employment": "在职,退休",
    "local_relation": "是,否",
    "discipline": "无,留党察看,留置,逮捕",
}
INSTRUCTIONS = (
    ("项目", "填写说明"),
    ("姓名", "必填。两个字的姓名中间不必加空格，加了也会去掉。"),
    ("身份", "必填：正式党员、预备党员或群众。只写“党员”分不清正式、预备，导入时会请您指明。"),
    ("性别", "男 或 女，可不填。"),
    (
        "出生日期、入党日期、转正日期",
        f"可写成 {ACCEPTED_FORMS}；只写年月时按当月 1 日计算。可不填。预备党员不填转正日期。",
    ),
    ("在职/退休", "在职、退休 或 离休（按退休计），不填表示在职。"),
    ("组织关系在本单位", "是 或 否（也可写 √、×），不填表示在本单位。"),
    (
        "处分/权利状态",
        "无、留党察看、留置 或 逮捕，不填表示无。受留党察看处分期间或被留置、逮捕的党员"
        "没有表决权、选举权和被选举权；其他处分请写在备注中。",
    ),
    ("联系方式", "电话或其他联系方式，可不填。"),
    ("备注", "可不填。"),
    (
        "列名",
        "第一行是列名，红色的两列（姓名、身份）必须有；可以调整列的顺序，"
        "导入时会识别常见的列名写法，也可以手动指定。",
    ),
    ("重复", "姓名和出生日期都相同的视为同一人，不能重复导入。"),
    ("示例行", "名册表第二行是示例，填写时请删除。"),
)


def _font(*, bold: bool = False, color: str | None = None) -> Font:
    """A new 宋体 font for each cell style (charset 134: GB2312, so Excel uses it for Chinese)."""
    return Font(name=FONT_NAME, size=11, bold=bold, color=color, charset=134)


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: object,
    *,
    bold: bool = False,
    color: str | None = None,
) -> Cell:
    cell = write_value(sheet, row, column, value)
    cell.font = _font(bold=bold, color=color)
    return cell


def write_value(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Writes a value, never a formula: a name or note starting with ``=`` stays text (it
    came from a user's file), "" is no value, a date shows as a date."""
    cell = sheet.cell(row=row, column=column, value=None if value == "" else value)  # type: ignore[arg-type]
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _header(sheet: Worksheet, labels: Sequence[tuple[str, float]]) -> None:
    for column, (label, width) in enumerate(labels, start=1):
        cell = _put(sheet, 1, column, label, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _print_setup(sheet: Worksheet, title: str) -> None:
    """A4 landscape, one page wide, the header row repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = title
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_template(path: Path) -> Path:
    """The blank roster to fill in: the header row, one example row and a 说明 sheet."""
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = SHEET_TITLE
    keys = list(FIELDS)
    _header(sheet, [(FIELDS[k], WIDTHS[k]) for k in keys])
    for column, key in enumerate(keys, start=1):
        _put(sheet, 2, column, EXAMPLE[key], color="808080")
        letter = get_column_letter(column)
        if key == "contact":  # phone numbers stay text, not numbers in scientific notation
            sheet.column_dimensions[letter].number_format = "@"
        if key in CHOICES:
            validation = DataValidation(
                type="list", formula1=f'"{CHOICES[key]}"', allow_blank=True, showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    for key in REQUIRED_FIELDS:
        sheet.cell(row=1, column=keys.index(key) + 1).font = _font(bold=True, color="C00000")
    _print_setup(sheet, SHEET_TITLE)

    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 90
    for row, (item, text) in enumerate(INSTRUCTIONS, start=1):
        _put(notes, row, 1, item, bold=row == 1)
        cell = _put(notes, row, 2, text, bold=row == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)
    return path


def rights_text(record: PersonRecord) -> str:
    """R1 in words for the roster, without the rule id."""
    return re.sub(r"\s*\([A-Z]\d+\)$", "", person_rights(record.person).reason)


def _years(start: date | None, reference: date) -> int | None:
    if start is None or start > reference:
        return None
    return whole_years(start, reference)


def export_roster(path: Path, people: Sequence[PersonRecord], reference_date: date) -> Path:
    """The roster with 年龄, 党龄 (from 转正日期) and 权利 on ``reference_date``; values only."""
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = SHEET_TITLE
    _header(sheet, [(FIELDS[k], WIDTHS[k]) for k in FIELDS] + list(COMPUTED))
    for row, record in enumerate(people, start=2):
        person = record.person
        values = (
            person.name,
            record.gender or "",
            person.birth,
            person.joined,
            person.confirmed,
            person.status.label,
            EMPLOYMENT_LABELS.get(record.employment, record.employment),
            "是" if person.local_relation else "否",
            person.discipline.label,
            record.contact,
            record.note,
            _years(person.birth, reference_date),
            _years(person.confirmed, reference_date),
            rights_text(record),
        )
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
    _print_setup(sheet, f"{SHEET_TITLE}（年龄、党龄计至{format_chinese_date(reference_date)}）")
    workbook.save(path)
    return path
