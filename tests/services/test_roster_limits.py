"""A roster import reads a bounded amount whatever the file holds (a .xlsx bomb, a sheet
with millions of rows), lists at most 200 problems, and never guesses a coded value;
a typical 花名册 with a title above its header imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from gongtui_desktop.domain.people import Discipline, MemberStatus
from gongtui_desktop.services.roster_import import (
    MAX_PROBLEMS,
    MAX_ROWS,
    ImportFileError,
    check,
    guess_mapping,
    read_rows,
)

TODAY = date(2026, 5, 1)

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_xml(number: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(values)
        if v
    )
    return f'<row r="{number}">{cells}</row>'


def raw_xlsx(path: Path, rows: Iterable[Iterable[str]], *, repeat: int = 1) -> Path:
    """A .xlsx written straight as XML, streamed: a sheet of any size, a small file. With
    ``repeat`` the rows are written that many times over, without row numbers (which the
    format allows): identical bytes that pack down to almost nothing."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for name, text in _PARTS.items():
            bundle.writestr(name, text)
        with bundle.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            if repeat > 1:
                block = "".join(
                    _row_xml(0, values).replace(' r="0"', "") for values in rows
                ).encode("utf-8")
                block = re.sub(rb' r="[A-Z]+0"', b"", block)
                for _ in range(repeat):
                    sheet.write(block)
                rows = ()
            chunk: list[str] = []
            for number, values in enumerate(rows, start=1):
                chunk.append(_row_xml(number, values))
                if len(chunk) == 5000:
                    sheet.write("".join(chunk).encode("utf-8"))
                    chunk = []
            sheet.write("".join(chunk).encode("utf-8"))
            sheet.write(b"</sheetData></worksheet>")
    return path


def people(count: int, status: str = "正式党员") -> Iterator[list[str]]:
    yield ["姓名", "性别", "出生日期", "身份", "在职/退休", "备注"]
    for number in range(count):
        yield [f"党员{number}", "男", f"19{50 + number % 40}-0{number % 9 + 1}-1{number % 10}",
               status, "在职", "调入"]  # fmt: skip


MEASURE = """
import json, resource, sys, time
from datetime import date
from gongtui_desktop.services.roster_import import ImportFileError, check, guess_mapping, read_rows
start = time.monotonic()
try:
    table = read_rows(sys.argv[1])
    preview = check(table, guess_mapping(table.headers), today=date(2026, 5, 1))
    outcome = {"rows": len(preview.rows), "problems": len(preview.problems),
               "unlisted": preview.unlisted}
except ImportFileError as error:
    outcome = {"refused": str(error)}
# VmHWM is this program's own peak; Linux carries ru_maxrss over from the parent process
# across fork and exec, so inside a large test run it would report the runner's size.
from pathlib import Path
status = Path("/proc/self/status")
if status.exists():
    line = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
    outcome["peak_mb"] = int(line.split()[1]) / 1024
else:
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
outcome["seconds"] = time.monotonic() - start
print(json.dumps(outcome, ensure_ascii=False))
"""


def measure(path: Path) -> dict[str, object]:
    """Read and check ``path`` in a fresh process: its outcome and its peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    outcome = json.loads(done.stdout)
    print(path.name, outcome)  # the figures, for the record (pytest -s)
    return outcome


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory read with the resource module")
def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """A file of about a megabyte that unpacks to hundreds of megabytes of cells."""
    row = ["张" * 20] * 30
    path = raw_xlsx(tmp_path / "炸弹.xlsx", [row] * 100, repeat=2_000)
    assert path.stat().st_size < 3 * 2**20
    with zipfile.ZipFile(path) as bundle:
        assert sum(info.file_size for info in bundle.infolist()) > 500 * 2**20
    outcome = measure(path)
    assert "远大于任何名册" in str(outcome["refused"]) and "炸弹.xlsx" in str(outcome["refused"])
    assert float(outcome["peak_mb"]) < 300  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory read with the resource module")
def test_too_many_rows_are_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "太多.xlsx", people(MAX_ROWS + 5_000, status="党员"))
    outcome = measure(path)
    assert f"超过 {MAX_ROWS} 行" in str(outcome["refused"])
    assert float(outcome["peak_mb"]) < 300  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform == "win32", reason="peak memory read with the resource module")
def test_a_roster_of_the_largest_allowed_size_reads_within_the_memory_cap(
    tmp_path: Path,
) -> None:
    path = raw_xlsx(tmp_path / "大名册.xlsx", people(MAX_ROWS))
    outcome = measure(path)
    assert outcome.get("rows") == MAX_ROWS and outcome.get("problems") == 0, outcome
    assert float(outcome["peak_mb"]) < 300, outcome  # type: ignore[arg-type]


def test_problems_stop_at_200_and_the_rest_are_counted(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "错.xlsx", people(1_000, status="党外"))
    table = read_rows(path)
    preview = check(table, guess_mapping(table.headers), today=TODAY)
    assert len(preview.problems) == MAX_PROBLEMS and preview.unlisted == 1_000 - MAX_PROBLEMS
    assert preview.unlisted_text() == "还有 800 个问题未列出"
    assert not preview.ok and preview.problem_count == 1_000
    # The value is still offered to resolve, with every row it is in.
    (unresolved,) = preview.unresolved
    assert unresolved.text == "党外" and len(unresolved.rows) == 1_000


def test_a_long_cell_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    rows = [["姓名", "身份", "备注"], ["张三", "正式党员", "x" * 5_000]]
    path = raw_xlsx(tmp_path / "长.xlsx", rows)
    with pytest.raises(ImportFileError) as caught:
        read_rows(path)
    assert "第 2 行 C 列有 5000 个字" in str(caught.value)


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    rows = [["姓名", "身份"], ["张三", "正式党员", *[""] * 80, "远处"]]
    with pytest.raises(ImportFileError) as caught:
        read_rows(raw_xlsx(tmp_path / "宽.xlsx", rows))
    assert "第 2 行在第 BL 列之后还有内容" in str(caught.value)


def test_a_huge_csv_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "大.csv"
    with open(path, "wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: no disk used
    with pytest.raises(ImportFileError, match="远大于任何名册"):
        read_rows(path)


# ---- coded values: picked, never guessed --------------------------------------------


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "text", "field", "choice"),
    [
        ("身份", "党员", "status", MemberStatus.PROBATIONARY),
        ("身份", "中共党员", "status", MemberStatus.FULL),
        ("性别", "M", "gender", "男"),
        ("在职/退休", "病休", "employment", "working"),
        ("处分/权利状态", "-", "discipline", Discipline.NONE),
        ("处分/权利状态", "警告", "discipline", Discipline.NONE),
        ("组织关系在本单位", "yes", "local_relation", True),
    ],
)
def test_a_coded_value_not_known_is_a_problem_until_the_user_picks(
    tmp_path: Path, header: str, text: str, field: str, choice: object
) -> None:
    rows: list[list[object]] = [["姓名", "身份", header] if header != "身份" else ["姓名", "身份"]]
    status = text if field == "status" else "正式党员"
    rows += [["甲", status, text] if header != "身份" else ["甲", status]]
    rows += [["乙", status, text] if header != "身份" else ["乙", status]]
    table = read_rows(xlsx(tmp_path / "码.xlsx", rows))
    mapping = guess_mapping(table.headers)
    preview = check(table, mapping, today=TODAY)
    assert not preview.ok and preview.rows == ()
    first = preview.problems[0]
    assert first.row == 2 and first.field == field and first.value == text
    assert f"“{text}”" in first.message and "取值对照" in first.message
    (unresolved,) = preview.unresolved
    assert unresolved.rows == (2, 3) and unresolved.where() == "第 2、3 行"
    assert choice in [value for _, value in unresolved.choices]
    resolved = check(table, mapping, today=TODAY, resolutions={unresolved.key: choice})
    assert resolved.ok and [r[field] for r in resolved.rows] == [choice, choice]


def test_party_member_is_never_read_as_full_member(tmp_path: Path) -> None:
    table = read_rows(xlsx(tmp_path / "党员.xlsx", [["姓名", "身份"], ["甲", "党员"]]))
    preview = check(table, guess_mapping(table.headers), today=TODAY)
    assert preview.rows == ()
    assert "分不清是正式党员还是预备党员" in preview.problems[0].message


# ---- a typical 花名册 ---------------------------------------------------------------


def roster_with_title(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet["A1"] = "机关第一党支部党员花名册"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "填报单位：机关第一党支部"
    sheet["E2"] = "填报日期：2026年4月"
    sheet.append([])
    sheet.append(["序号", "姓名", "性别", "出生年月", "党员类别", "备注"])
    sheet.append([1, "张三", "男", "1980.05", "正式党员", ""])
    sheet.append([2, "李四", "女", "1990.03", "预备党员", ""])
    sheet.append([])
    sheet.append([3, "王五", "男", "1975.02", "正式党员", "退休"])
    sheet.append(["合计", "3人", "", "", "", ""])
    sheet.append(["", "小计：正式党员 2 人", "", "", "", ""])
    book.save(path)
    return path


def test_a_roster_with_a_title_finds_its_header_and_skips_sums(tmp_path: Path) -> None:
    table = read_rows(roster_with_title(tmp_path / "花名册.xlsx"))
    assert table.header_row == 4 and table.headers[:3] == ("序号", "姓名", "性别")
    assert [row.number for row in table.rows] == [5, 6, 8]
    assert table.skipped == (9, 10)
    assert [row.number for row in table.top][:3] == [1, 2, 4]
    preview = check(table, guess_mapping(table.headers), today=TODAY)
    assert preview.ok and [r["name"] for r in preview.rows] == ["张三", "李四", "王五"]
    assert preview.rows[1]["status"] is MemberStatus.PROBATIONARY


def test_the_header_row_can_be_chosen(tmp_path: Path) -> None:
    table = read_rows(roster_with_title(tmp_path / "花名册.xlsx"))
    other = table.with_header(2)
    assert other.header_row == 2 and other.headers[0] == "填报单位：机关第一党支部"
    back = other.with_header(4)
    assert back.header_row == 4 and back.rows == table.rows
    assert read_rows(tmp_path / "花名册.xlsx", header_row=4).rows == table.rows
    with pytest.raises(ImportFileError, match="第 3 行是空行"):
        table.with_header(3)


def test_a_csv_with_a_title_line_imports(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_text(
        "党员花名册,,\n填报单位：机关支部,,\n姓名,身份,性别\n张三,正式党员,男\n合计,1人,\n",
        encoding="utf-8",
    )
    table = read_rows(path)
    assert table.header_row == 3 and [row.number for row in table.rows] == [4]
    assert check(table, guess_mapping(table.headers), today=TODAY).ok
