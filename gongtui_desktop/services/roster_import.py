"""Importing the roster (党员名册) from .xlsx or .csv: read, map columns, check, save.

The steps are separate so a window can show the file, let the user correct the
column mapping and list every problem before anything is written:

    table = read_rows(path)
    mapping = guess_mapping(table.headers)
    preview = check(table, mapping)
    matches = match_people(preview, election.people())  # shown, the user decides each
    if preview.ok:
        save(election, operator, preview, path.name, decisions)

A name already on the roster is never added a second time without a decision: update
that person with the imported data, or add a new person (``proposed_decisions``).

Column indexes in a mapping are 0-based; row numbers are the spreadsheet's (1-based).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongtui_desktop.domain.date_text import excel_serial_to_date, parse_date_text
from gongtui_desktop.domain.people import Discipline, MemberStatus, person_name
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import PersonRecord

FIELDS: dict[str, str] = {
    "name": "姓名",
    "gender": "性别",
    "birth": "出生日期",
    "joined": "入党日期",
    "confirmed": "转正日期",
    "status": "身份",
    "employment": "在职/退休",
    "local_relation": "组织关系在本单位",
    "discipline": "处分/权利状态",
    "contact": "联系方式",
    "note": "备注",
}
"""Every roster field and its Chinese label, in the order of the template."""

REQUIRED_FIELDS = ("name", "status")
"""Fields a file must have a column for: 身份 decides the voting rights (R1), never guessed."""

DATE_FIELDS = ("birth", "joined", "confirmed")

SUFFIXES = (".xlsx", ".csv")


def _key(text: str) -> str:
    """A header or a value as compared: half-width, without blanks or punctuation."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "党员姓名"),
    "gender": ("性别",),
    "birth": ("出生年月", "出生日期", "出生时间", "出生年月日", "生日"),
    "joined": ("入党时间", "入党日期", "入党年月", "入党年月日"),
    "confirmed": ("转正时间", "转正日期", "转正年月", "转正年月日"),
    "status": ("身份", "类别", "人员类别", "党员类别", "政治面貌", "党员身份"),
    "employment": ("在职/退休", "在职", "退休", "在职状态", "工作状态", "是否在职"),
    "local_relation": (
        "组织关系",
        "组织关系所在",
        "组织关系在本单位",
        "组织关系是否在本单位",
    ),
    "discipline": ("处分", "权利状态", "党纪处分", "处分/权利状态", "处分情况"),
    "contact": ("联系方式", "联系电话", "电话", "手机", "手机号", "手机号码", "电话号码"),
    "note": ("备注",),
}
HEADERS: dict[str, str] = {_key(w): f for f, words in _HEADER_WORDS.items() for w in words}

# Only spellings that say one thing are read; "党员" and "中共党员" are true of 正式党员 and
# 预备党员 alike, and a wrong guess gives a 预备党员 a vote: the user picks (``CHOICES``).
_STATUS = {
    **dict.fromkeys(("正式党员", "中共正式党员", "正式", "full"), MemberStatus.FULL),
    **dict.fromkeys(
        ("预备党员", "中共预备党员", "预备", "probationary"), MemberStatus.PROBATIONARY
    ),
    **dict.fromkeys(("群众", "非党员", "共青团员", "团员", "non_member"), MemberStatus.NON_MEMBER),
}
_GENDER = {"男": "男", "男性": "男", "女": "女", "女性": "女"}
_EMPLOYMENT = {
    "": "working",
    "在职": "working",
    "working": "working",
    "退休": "retired",
    "离休": "retired",
    "离退休": "retired",
    "retired": "retired",
}
_LOCAL = {
    **dict.fromkeys(("", "是", "在", "本单位", "在本单位", "√", "✓", "✔"), True),
    **dict.fromkeys(("否", "不在", "不在本单位", "非本单位", "×", "✗", "✘"), False),
}
_DISCIPLINE = {
    **dict.fromkeys(("", "无", "空", "无处分", "none"), Discipline.NONE),
    **dict.fromkeys(("留党察看", "probation"), Discipline.PROBATION),
    **dict.fromkeys(
        ("留置", "逮捕", "被留置", "被逮捕", "留置/逮捕", "留置、逮捕", "留置或逮捕", "detained"),
        Discipline.DETAINED,
    ),
}


_AMBIGUOUS = {
    "status": {
        "党员": "分不清是正式党员还是预备党员",
        "中共党员": "分不清是正式党员还是预备党员",
    },
}

CHOICES: dict[str, tuple[tuple[str, object], ...]] = {
    "status": (
        ("正式党员", MemberStatus.FULL),
        ("预备党员", MemberStatus.PROBATIONARY),
        ("群众", MemberStatus.NON_MEMBER),
    ),
    "gender": (("男", "男"), ("女", "女"), ("不填", None)),
    "employment": (("在职", "working"), ("退休", "retired")),
    "local_relation": (("组织关系在本单位", True), ("组织关系不在本单位", False)),
    "discipline": (
        ("无", Discipline.NONE),
        ("留党察看", Discipline.PROBATION),
        ("留置或逮捕", Discipline.DETAINED),
    ),
}
"""The coded columns and what a value the program does not read may be taken to mean: the
user picks one for each such value in the import window, the program never guesses."""

MAX_ROWS = 100_000
"""Rows of people a roster may have (a branch has hundreds; a large unit some thousands)."""
MAX_COLUMNS = 64
MAX_CELL = 1_000
"""Characters in one cell: a name, a date or a note, never a document."""
MAX_UNPACKED = 200 * 2**20
"""Bytes of a .xlsx once unpacked; a larger one is refused before anything is read."""
MAX_SHARED_TEXT = 48 * 2**20
"""Bytes of the shared-text part of a .xlsx, which is read into memory as a whole."""
MAX_CSV = 64 * 2**20
MAX_PROBLEMS = 200
"""Problems listed; past these only their number is kept (``ImportPreview.unlisted``)."""
HEADER_SEARCH = 10
"""Non-blank rows at the top of a sheet among which the header row is looked for."""
TOTAL_WORDS = ("合计", "小计", "总计")


class ImportFileError(Exception):
    """A roster file that cannot be read; the message names the file, in Chinese."""


class SourceRow(NamedTuple):
    """One non-blank row of the file as read: its spreadsheet row number and cell values."""

    number: int
    values: tuple[object, ...]


@dataclass(frozen=True)
class SourceTable:
    """A file's table as read: the header row and every non-blank row below it."""

    file_name: str
    sheet: str | None  # None for a .csv
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    top: tuple[SourceRow, ...] = ()
    """The first non-blank rows, any of which the user may choose as the header row."""
    skipped: tuple[int, ...] = ()
    """Rows below the header left out as sums (合计, 小计, 总计)."""
    source: tuple[SourceRow, ...] = ()
    """Every non-blank row as read, to choose another header row without reading again."""

    def with_header(self, row: int) -> SourceTable:
        """The same sheet read with row ``row`` (a spreadsheet row number) as the header."""
        return _table(self.file_name, self.sheet, [(r.number, r.values) for r in self.source], row)

    def column_name(self, index: int) -> str:
        """How a problem names a column: its letter; in a .csv also its header."""
        letter = get_column_letter(index + 1)
        if self.sheet is not None:
            return letter
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{header}（{letter}列）" if header else f"{letter}列"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where it is, in words for the user."""

    file: str
    sheet: str | None
    row: int
    column: str | None
    message: str
    field: str | None = None
    """For a value of a coded column the program does not read: the field and the text,
    which the user can resolve by picking what it means (``Unresolved``)."""
    value: str | None = None

    def describe(self) -> str:
        """``名册.xlsx 第 3 行 C 列：…``."""
        place = f"{self.file}"
        if self.sheet is not None:
            place += f"（工作表“{self.sheet}”）"
        place += f" 第 {self.row} 行"
        if self.column:
            place += f" {self.column}" if self.sheet is None else f" {self.column} 列"
        return f"{place}：{self.message}"


@dataclass(frozen=True)
class ImportPreview:
    """What an import would add: the rows without problems, and every problem found.

    ``rows`` are ready for :meth:`ElectionFile.add_people`; ``row_numbers`` gives each
    one's spreadsheet row. Saving is allowed only when there is no problem at all.
    """

    file: str
    sheet: str | None
    rows: tuple[dict[str, object], ...]
    row_numbers: tuple[int, ...]
    problems: tuple[Problem, ...]
    fields: tuple[str, ...] = ()
    """The fields the file has a column for: only these update a person already there."""
    unlisted: int = 0
    """Problems found beyond the first ``MAX_PROBLEMS``, counted but not listed."""
    unresolved: tuple[Unresolved, ...] = ()
    """Values of coded columns to resolve by picking what they mean."""

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unlisted and bool(self.rows)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.unlisted

    def unlisted_text(self) -> str:
        """``还有 N 个问题未列出`` when the list stops at ``MAX_PROBLEMS``."""
        return f"还有 {self.unlisted} 个问题未列出" if self.unlisted else ""


@dataclass(frozen=True)
class Unresolved:
    """A value in a coded column that the program does not read: where it is, and what
    the user may say it means (``CHOICES``); ``resolutions`` of ``check`` takes the pick."""

    field: str
    text: str
    rows: tuple[int, ...]
    column: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.field, _value_key(self.text))

    @property
    def choices(self) -> tuple[tuple[str, object], ...]:
        return CHOICES[self.field]

    def where(self) -> str:
        shown = "、".join(str(r) for r in self.rows[:5])
        more = f" 等 {len(self.rows)} 行" if len(self.rows) > 5 else " 行"
        return f"第 {shown}{more}"


# ---- reading files ---------------------------------------------------------------


def read_rows(path: Path, sheet: str | None = None, header_row: int | None = None) -> SourceTable:
    """The table of a .xlsx (the first sheet unless named) or a .csv file.

    The header is the row among the first non-blank ones whose cells name the most known
    columns (a title, a 填报单位 line or merged title cells above it are passed over),
    or ``header_row`` when given; blank rows and sums (合计, 小计) below it are left out.
    What is read is capped (``MAX_ROWS``, ``MAX_COLUMNS``, ``MAX_CELL``, ``MAX_UNPACKED``):
    a file beyond them is refused with the first thing too large.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            f"不能读取“{path.name}”：不支持旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx"
        )
    if suffix not in SUFFIXES:
        raise ImportFileError(f"不能读取“{path.name}”：只能导入 .xlsx 或 .csv 文件")
    if suffix == ".csv":
        return _table(path.name, None, _csv_rows(path), header_row)
    name, rows = _xlsx_rows(path, sheet)
    return _table(path.name, name, rows, header_row)


def sheet_names(path: Path) -> list[str]:
    """The worksheets of a .xlsx file, for the user to choose from."""
    path = Path(path)
    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True)
    except Exception as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _reason(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "文件不存在"
    if isinstance(error, PermissionError):
        return "没有读取权限，或文件正被其他程序占用"
    return "文件已损坏或不是 Excel 工作簿（.xlsx）"


def _check_unpacked_size(path: Path) -> None:
    """A .xlsx is a zip: its parts' unpacked sizes are stated in the zip's directory and
    bounded by it when read, so a small file that would unpack to gigabytes is refused here,
    before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as bundle:
            infos = bundle.infolist()
    except FileNotFoundError as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    except (OSError, zipfile.BadZipFile) as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    total = sum(info.file_size for info in infos)
    shared = sum(info.file_size for info in infos if info.filename.endswith("sharedStrings.xml"))
    if total > MAX_UNPACKED or shared > MAX_SHARED_TEXT:
        raise ImportFileError(
            f"不能读取“{path.name}”：解压后有 {total / 2**20:.0f} MB，远大于任何名册"
            f"（上限 {MAX_UNPACKED // 2**20} MB，其中文字部分 {MAX_SHARED_TEXT // 2**20} MB）。"
            "文件可能已损坏或被恶意构造；请只把名册另存为一个新的 .xlsx 后再导入"
        )


def _too_many_rows(file_name: str) -> ImportFileError:
    return ImportFileError(
        f"不能读取“{file_name}”：超过 {MAX_ROWS} 行，不像一份党员名册。"
        "请检查是否选错了文件或工作表，或删去名册以外的内容"
    )


def _capped(
    file_name: str, numbered: Iterable[tuple[int, Sequence[object]]]
) -> list[tuple[int, tuple[object, ...]]]:
    """The non-blank rows, refusing a file beyond the caps at the first row that passes one:
    memory and time stay bounded whatever the file holds."""
    rows: list[tuple[int, tuple[object, ...]]] = []
    limit = MAX_ROWS + HEADER_SEARCH
    for number, values in numbered:
        if number > 2 * limit:
            raise _too_many_rows(file_name)
        if len(values) > MAX_COLUMNS and not _blank(values[MAX_COLUMNS:]):
            raise ImportFileError(
                f"不能读取“{file_name}”：第 {number} 行在第 {get_column_letter(MAX_COLUMNS)} "
                f"列之后还有内容；名册最多 {MAX_COLUMNS} 列"
            )
        values = tuple(values[:MAX_COLUMNS])
        while values and (values[-1] is None or values[-1] == ""):
            values = values[:-1]  # cells past the last one filled, as a capped read gives them
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise ImportFileError(
                    f"不能读取“{file_name}”：第 {number} 行 {get_column_letter(index + 1)} 列有 "
                    f"{len(value)} 个字，名册的一格最多 {MAX_CELL} 个字"
                )
        if _blank(values):
            continue
        rows.append((number, values))
        if len(rows) > limit:
            raise _too_many_rows(file_name)
    return rows


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[str, list[tuple[int, tuple[object, ...]]]]:
    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise ImportFileError(f"“{path.name}”中没有名为“{sheet}”的工作表")
        # The stored dimensions may be wrong (some programs write none): read every cell.
        worksheet.reset_dimensions()  # type: ignore[union-attr]
        # Every column is read (the parser sees each cell anyway), to tell the user when a
        # row goes past the cap; each row is cut to the cap before it is kept.
        cells = worksheet.iter_rows(values_only=True)  # type: ignore[union-attr]
        rows = _capped(path.name, enumerate(cells, start=1))
        return worksheet.title, rows
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    finally:
        workbook.close()


def _decode(data: bytes, file_name: str) -> str:
    """UTF-8 with or without BOM (or UTF-16 with BOM), else GB18030, which covers GBK."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(f"不能读取“{file_name}”：不是文本文件，或编码无法识别")


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the first non-empty line holds most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> list[tuple[int, tuple[object, ...]]]:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    if size > MAX_CSV:
        raise ImportFileError(
            f"不能读取“{path.name}”：文件有 {size / 2**20:.0f} MB，远大于任何名册"
            f"（上限 {MAX_CSV // 2**20} MB）"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"不能读取“{path.name}”：{_reason(error)}") from error
    text = _decode(data, path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _capped(path.name, enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportFileError(f"不能读取“{path.name}”：CSV 格式有误（{error}）") from error


def _blank(values: Iterable[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _table(
    file_name: str,
    sheet: str | None,
    rows: list[tuple[int, tuple[object, ...]]],
    header_row: int | None = None,
) -> SourceTable:
    if not rows:
        where = f"工作表“{sheet}”" if sheet else "文件"
        raise ImportFileError(f"“{file_name}”的{where}是空的")
    width = max(len(values) for _, values in rows)
    padded = [SourceRow(n, tuple(values) + (None,) * (width - len(values))) for n, values in rows]
    top = tuple(padded[:HEADER_SEARCH])
    if header_row is None:
        at = find_header(top)
    else:
        at = next((i for i, row in enumerate(padded) if row.number == header_row), None)
        if at is None:
            raise ImportFileError(f"“{file_name}”的第 {header_row} 行是空行，不能作为表头")
    body = [row for row in padded[at + 1 :] if not _is_total(row.values)]
    skipped = tuple(row.number for row in padded[at + 1 :] if _is_total(row.values))
    if len(body) > MAX_ROWS:
        raise _too_many_rows(file_name)
    return SourceTable(
        file_name=file_name,
        sheet=sheet,
        header_row=padded[at].number,
        headers=tuple(_text(v) for v in padded[at].values),
        rows=tuple(body),
        top=top,
        skipped=skipped,
        source=tuple(padded),
    )


def find_header(rows: Sequence[SourceRow]) -> int:
    """The index of the header among the first rows: the one naming the most known columns
    (a title row or a 填报单位 line names none); the first row when none names any."""
    best, best_score = 0, 0
    for index, row in enumerate(rows):
        mapping = guess_mapping([_text(v) for v in row.values])
        score = len(mapping) + 10 * sum(1 for f in mapping.values() if f in REQUIRED_FIELDS)
        if score > best_score:
            best, best_score = index, score
    return best


def _is_total(values: Sequence[object]) -> bool:
    """A sum row under the table (合计、小计、总计), left out like a blank row."""
    return any(
        isinstance(v, str) and _key(v).startswith(TOTAL_WORDS) for v in values if v is not None
    )


# ---- columns -----------------------------------------------------------------------


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index → field for the headers recognised; a field's first column wins."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        text = unicodedata.normalize("NFKC", header or "")
        candidates = (_key(text), _key(re.sub(r"\([^)]*\)", "", text)))
        field = next((HEADERS[c] for c in candidates if c in HEADERS), None)
        if field is not None and field not in mapping.values():
            mapping[index] = field
    return mapping


# ---- values ------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date_cell(value: object) -> date | None:
    """A date cell: an Excel date, a serial number, or typed text (see ``parse_date_text``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"无法识别的日期“{value}”")
    if isinstance(value, int | float):
        return _numeric_date(value)
    return parse_date_text(str(value))


def _numeric_date(value: float) -> date:
    """A number in a date column: 20200101, 2020.01 typed into a number cell, or a serial."""
    if float(value).is_integer():
        whole = int(value)
        if 10_000_101 <= whole <= 99_991_231:
            return parse_date_text(str(whole))
        if 1000 <= whole <= 2999:
            raise ValueError(f"“{whole}”只有年份，请至少填写年月，如 {whole}.01")
        return excel_serial_to_date(whole)
    if 1000 <= value < 3000:
        text = repr(float(value))
        if text.split(".")[1] == "1":
            year = int(value)
            raise ValueError(
                f"“{text}”在表格中是数字，分不清是 {year}年1月还是 {year}年10月，"
                f"请改写成 {year}年1月 或 {year}年10月"
            )
        return parse_date_text(text)
    return excel_serial_to_date(value)


def _clean_name(value: object) -> str:
    """Blanks used to align two-character names (``张　三``) are removed from Chinese names."""
    name = person_name(_text(value))
    if not re.search(r"[A-Za-z]", name):
        name = re.sub(r"\s+", "", name)
    return name


def _value_key(text: str) -> str:
    """A typed value as compared: half-width, lower case, without blanks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


class UnreadValue(ValueError):
    """A value of a coded column that is not one of its known spellings."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


def _choice(value: object, table: Mapping[str, object], label: str, accepted: str) -> object:
    text = _text(value)
    key = _value_key(text)
    if key in table:
        return table[key]
    raise UnreadValue(
        f"{label}“{text}”无法识别，可填：{accepted}；也可以在导入窗口的“取值对照”中选择它表示哪一项",
        text,
    )


def _status(value: object) -> MemberStatus:
    text = _text(value)
    if not text:
        raise ValueError("未填写身份（正式党员、预备党员或群众）")
    why = _AMBIGUOUS["status"].get(_value_key(text))
    if why:
        raise UnreadValue(
            f"身份“{text}”{why}：请在名册中写明，或在导入窗口的“取值对照”中选择", text
        )
    return _choice(value, _STATUS, "身份", "正式党员、预备党员、群众")  # type: ignore[return-value]


def _gender(value: object) -> str | None:
    if not _text(value):
        return None
    return _choice(value, _GENDER, "性别", "男、女")  # type: ignore[return-value]


def _employment(value: object) -> str:
    return _choice(value, _EMPLOYMENT, "在职/退休", "在职、退休、离休或不填（在职）")  # type: ignore[return-value]


def _local_relation(value: object) -> bool:
    return _choice(  # type: ignore[return-value]
        value, _LOCAL, "组织关系在本单位", "是、否、√、×，不填表示在本单位"
    )


def _discipline(value: object) -> Discipline:
    text = _text(value)
    try:
        return _choice(value, _DISCIPLINE, "处分/权利状态", "无、留党察看、留置、逮捕")  # type: ignore[return-value]
    except UnreadValue:
        raise UnreadValue(
            f"处分/权利状态“{text}”无法识别，可填：无、留党察看、留置、逮捕；"
            "不影响选举权利的处分请写在备注中；也可以在导入窗口的“取值对照”中选择它表示哪一项",
            text,
        ) from None


_PARSERS = {
    "gender": _gender,
    "status": _status,
    "employment": _employment,
    "local_relation": _local_relation,
    "discipline": _discipline,
    "birth": parse_date_cell,
    "joined": parse_date_cell,
    "confirmed": parse_date_cell,
    "contact": _text,
    "note": _text,
}


# ---- checking ----------------------------------------------------------------------


def existing_keys(people: Iterable[PersonRecord]) -> list[tuple[str, date | None]]:
    """The (name, birth date) of people already in the election, for ``check`` when any
    row already there is to be refused outright; the import dialog asks instead
    (``match_people``)."""
    return [(r.person.name, r.person.birth) for r in people]


def check(
    table: SourceTable,
    mapping: Mapping[int, str],
    existing: Sequence[tuple[str, date | None]] = (),
    *,
    today: date | None = None,
    resolutions: Mapping[tuple[str, str], object] | None = None,
) -> ImportPreview:
    """Every row parsed for ``ElectionFile.add_people``, and every problem of the file.

    A duplicate is the same name and birth date (both may be unknown), within the file
    or among ``existing``. ``today`` (default: today) bounds the dates. A value of a coded
    column the program does not read is a problem unless ``resolutions`` says what it
    means (``Unresolved.key`` → one of its ``choices``). Past ``MAX_PROBLEMS`` problems
    are only counted (``ImportPreview.unlisted``).
    """
    unknown = set(mapping.values()) - FIELDS.keys()
    if unknown:
        raise ValueError(f"unknown roster fields {sorted(unknown)}")
    today = today or date.today()
    resolutions = resolutions or {}
    problems: list[Problem] = []
    unlisted = 0
    unresolved: dict[tuple[str, str], tuple[str, list[int], str]] = {}

    def problem(
        row: int,
        column: int | None,
        message: str,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        nonlocal unlisted
        if len(problems) >= MAX_PROBLEMS:
            unlisted += 1
            return
        name = None if column is None else table.column_name(column)
        problems.append(Problem(table.file_name, table.sheet, row, name, message, field, value))

    columns: dict[str, int] = {}
    for index, field in sorted(mapping.items()):
        if field in columns:
            problem(
                table.header_row,
                index,
                f"“{FIELDS[field]}”已对应第 {get_column_letter(columns[field] + 1)} 列，"
                "一项只能对应一列",
            )
        else:
            columns[field] = index
    for field in REQUIRED_FIELDS:
        if field not in columns:
            problem(
                table.header_row,
                None,
                f"没有找到“{FIELDS[field]}”列，请指定哪一列是{FIELDS[field]}",
            )
    if any(p.row == table.header_row for p in problems):
        return ImportPreview(table.file_name, table.sheet, (), (), tuple(problems))
    if not table.rows:
        problem(table.header_row, None, "表格中没有人员")

    seen: dict[tuple[str, object], int] = {}
    known = {_identity(name, birth) for name, birth in existing}
    rows: list[dict[str, object]] = []
    numbers: list[int] = []
    for source in table.rows:
        before = len(problems) + unlisted
        failed: set[str] = set()
        values = {
            "name": "",
            "gender": None,
            "birth": None,
            "joined": None,
            "confirmed": None,
            "status": MemberStatus.FULL,
            "discipline": Discipline.NONE,
            "employment": "working",
            "local_relation": True,
            "contact": "",
            "note": "",
        }
        for field, index in columns.items():
            cell = source.values[index]
            if field == "name":
                values["name"] = _clean_name(cell)
                if not values["name"]:
                    problem(source.number, index, "未填写姓名")
                continue
            try:
                values[field] = _PARSERS[field](cell)
            except UnreadValue as error:
                key = (field, _value_key(error.text))
                if key in resolutions:
                    values[field] = resolutions[key]
                    continue
                failed.add(field)
                unresolved.setdefault(key, (error.text, [], table.column_name(index)))[1].append(
                    source.number
                )
                problem(source.number, index, str(error), field, error.text)
            except ValueError as error:
                failed.add(field)
                label = f"{FIELDS[field]}：" if field in DATE_FIELDS else ""
                problem(source.number, index, f"{label}{error}")
        _check_dates(values, columns, source.number, today, problem)
        if values["status"] is MemberStatus.PROBATIONARY and values["confirmed"] is not None:
            problem(
                source.number,
                columns.get("confirmed"),
                "预备党员不应有转正日期；已转正的请把身份改为正式党员",
            )
        if values["name"] and "birth" not in failed:  # an unread birth date proves nothing
            key = _identity(str(values["name"]), values["birth"])
            if key in known:
                problem(source.number, columns["name"], "选举文件中已有此人（姓名和出生日期相同）")
            elif key in seen:
                problem(
                    source.number,
                    columns["name"],
                    f"与第 {seen[key]} 行重复（姓名和出生日期相同）",
                )
            else:
                seen[key] = source.number
        if len(problems) + unlisted == before:
            rows.append(values)
            numbers.append(source.number)
    return ImportPreview(
        table.file_name,
        table.sheet,
        tuple(rows),
        tuple(numbers),
        tuple(problems),
        tuple(columns),
        unlisted,
        tuple(
            Unresolved(field, text, tuple(where), column)
            for (field, _), (text, where, column) in unresolved.items()
        ),
    )


def _identity(name: str, birth: object) -> tuple[str, object]:
    """Who a row is, for duplicates: the name without blanks, and the birth date."""
    return re.sub(r"\s+", "", name), birth


def _check_dates(
    values: Mapping[str, object],
    columns: Mapping[str, int],
    row: int,
    today: date,
    problem: Callable[[int, int | None, str], None],
) -> None:
    birth, joined, confirmed = (values[f] for f in DATE_FIELDS)
    for field in DATE_FIELDS:
        value = values[field]
        if isinstance(value, date) and value > today:
            problem(row, columns[field], f"{FIELDS[field]} {value.isoformat()} 晚于今天")
    if isinstance(birth, date) and isinstance(joined, date) and birth > joined:
        problem(row, columns["birth"], "出生日期晚于入党日期")
    if isinstance(joined, date) and isinstance(confirmed, date) and confirmed < joined:
        problem(row, columns["confirmed"], "转正日期早于入党日期")


# ---- people already on the roster -------------------------------------------------


@dataclass(frozen=True)
class Namesake:
    """Someone already on the roster with the name of an imported row.

    ``same_birth``: True when both have the same birth date, False when both have one
    and they differ (most likely another person), None when one of them has none."""

    record: PersonRecord
    same_birth: bool | None

    def describe(self) -> str:
        """What tells two people of one name apart, in words: ``张伟（1980年1月2日生，男，…）``."""
        return f"{self.record.person.name}（{distinguishing(self.record)}）"


@dataclass(frozen=True)
class RosterMatch:
    """An imported row whose name is already on the roster (R1, R2: nobody twice)."""

    index: int  # position in ``ImportPreview.rows``
    row: int  # the spreadsheet's row number
    values: Mapping[str, object]
    namesakes: tuple[Namesake, ...]

    @property
    def name(self) -> str:
        return str(self.values["name"])

    def likely(self) -> tuple[Namesake, ...]:
        """The namesakes who may be the same person: no birth date that differs."""
        return tuple(n for n in self.namesakes if n.same_birth is not False)


ADD_NEW: None = None
"""The decision for a row with a namesake that is another person: add it as new."""


def distinguishing(record: PersonRecord) -> str:
    """Birth date, gender, status and contact: what is shown next to a name that is
    on the roster more than once, so the user can tell the people apart."""
    person = record.person
    parts = [
        f"{person.birth.year}年{person.birth.month}月{person.birth.day}日生"
        if person.birth
        else "未填出生日期",
    ]
    if record.gender:
        parts.append(record.gender)
    parts.append(person.status.label)
    if record.contact:
        parts.append(f"联系方式 {record.contact}")
    if record.left_on:
        parts.append("已离开")
    return "，".join(parts)


def row_description(values: Mapping[str, object]) -> str:
    """The same words for an imported row (its birth date, gender, status, contact)."""
    birth = values.get("birth")
    parts = [
        f"{birth.year}年{birth.month}月{birth.day}日生"
        if isinstance(birth, date)
        else "未填出生日期"
    ]
    if values.get("gender"):
        parts.append(str(values["gender"]))
    status = values.get("status")
    if isinstance(status, MemberStatus):
        parts.append(status.label)
    if values.get("contact"):
        parts.append(f"联系方式 {values['contact']}")
    return "，".join(parts)


def match_people(preview: ImportPreview, people: Iterable[PersonRecord]) -> tuple[RosterMatch, ...]:
    """Every row whose name (blanks ignored) is already on the roster, with those people.

    People entered by hand or typed as candidates in the new-election wizard have only a
    name: the real roster must complete them, not add them a second time (R2, R3)."""
    by_name: dict[str, list[PersonRecord]] = {}
    for record in people:
        by_name.setdefault(_identity(record.person.name, None)[0], []).append(record)
    matches = []
    for index, (values, number) in enumerate(zip(preview.rows, preview.row_numbers, strict=True)):
        records = by_name.get(_identity(str(values["name"]), None)[0], [])
        if not records:
            continue
        birth = values.get("birth")
        namesakes = tuple(
            Namesake(
                r,
                None if birth is None or r.person.birth is None else r.person.birth == birth,
            )
            for r in records
        )
        # The most likely first: the same birth date, then unknown, then a different one.
        order = {True: 0, None: 1, False: 2}
        namesakes = tuple(sorted(namesakes, key=lambda n: order[n.same_birth]))
        matches.append(RosterMatch(index, number, values, namesakes))
    return tuple(matches)


def proposed_decisions(matches: Sequence[RosterMatch]) -> dict[int, int | None]:
    """What the import dialog proposes, row index → person id to update or ``ADD_NEW``.

    One namesake who may be the same person: update them. Only namesakes with another
    birth date: add as new. Several who may be the same, or one person proposed for two
    rows: no proposal, the user chooses (never a silent duplicate, never a guess)."""
    proposed: dict[int, int | None] = {}
    for match in matches:
        likely = match.likely()
        if len(likely) == 1:
            proposed[match.index] = likely[0].record.id
        elif not likely:
            proposed[match.index] = ADD_NEW
    targets = [person for person in proposed.values() if person is not None]
    twice = {person for person in targets if targets.count(person) > 1}
    return {index: person for index, person in proposed.items() if person not in twice}


def _changes(
    values: Mapping[str, object], record: PersonRecord, fields: Iterable[str]
) -> dict[str, object]:
    """The imported values that complete or correct a person: only the columns the file
    has, and never a blank cell over something known."""
    current = {
        "gender": record.gender,
        "birth": record.person.birth,
        "joined": record.person.joined,
        "confirmed": record.person.confirmed,
        "status": record.person.status,
        "discipline": record.person.discipline,
        "employment": record.employment,
        "local_relation": record.person.local_relation,
        "contact": record.contact,
        "note": record.note,
    }
    changes: dict[str, object] = {}
    for field in fields:
        if field not in current:
            continue
        value = values.get(field)
        if value is None or value == "":
            continue
        if value != current[field]:
            changes[field] = value
    return changes


# ---- saving ------------------------------------------------------------------------


def save(
    election: ElectionFile,
    operator: str,
    preview: ImportPreview,
    file_name: str,
    decisions: Mapping[int, int | None] | None = None,
) -> list[int]:
    """Adds the people of the preview, and updates the people already on the roster the
    user chose (``decisions``: row index → person id, or ``ADD_NEW``), in one audited
    transaction; all or nothing. A row with a namesake on the roster and no decision is
    refused: nobody is added twice without being asked (R2, R3). Returns the new ids."""
    if not preview.ok:
        if preview.problems:
            raise ValueError(f"名册还有 {preview.problem_count} 处问题，改正后才能导入")
        raise ValueError("名册中没有可导入的人员")
    decisions = dict(decisions or {})
    matches = {m.index: m for m in match_people(preview, election.people())}
    undecided = [m.name for index, m in matches.items() if index not in decisions]
    if undecided:
        raise ValueError(
            f"名册中已有同名的人：{'、'.join(undecided)}，请逐一选择是更新名册中的这个人，"
            "还是作为新的人添加"
        )
    updates: list[tuple[int, dict[str, object]]] = []
    new_rows: list[dict[str, object]] = []
    chosen: dict[int, int] = {}
    for index, values in enumerate(preview.rows):
        person = decisions.get(index)
        if person is None:
            new_rows.append(values)
            continue
        match = matches.get(index)
        records = {n.record.id: n.record for n in match.namesakes} if match else {}
        if person not in records:
            raise ValueError(f"第 {preview.row_numbers[index]} 行：只能更新名册中同名的人")
        if person in chosen:
            raise ValueError(
                f"第 {chosen[person]} 行和第 {preview.row_numbers[index]} 行都选择了更新"
                f"{records[person].person.name}：同一个人只能更新一次"
            )
        chosen[person] = preview.row_numbers[index]
        updates.append((person, _changes(values, records[person], preview.fields)))
    if not updates:
        action = f"导入党员名册：{file_name}（{len(new_rows)} 人）"
        return election.add_people(operator, new_rows, action)
    action = (
        f"导入党员名册：{file_name}（{len(preview.rows)} 人，新增 {len(new_rows)} 人，"
        f"更新名册中已有的 {len(updates)} 人）"
    )
    return election.import_people(operator, new_rows, updates, action)
