"""Roster import and export (issue #5): real .xlsx and .csv files on disk."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import from_excel

from gongtui_desktop.domain.date_text import excel_serial_to_date, parse_date_text
from gongtui_desktop.domain.people import Discipline, MemberStatus
from gongtui_desktop.services.roster_export import export_roster, write_template
from gongtui_desktop.services.roster_import import (
    FIELDS,
    ImportFileError,
    ImportPreview,
    Problem,
    SourceTable,
    check,
    existing_keys,
    guess_mapping,
    read_rows,
    save,
    sheet_names,
)
from gongtui_desktop.store.election_file import ElectionFile

TODAY = date(2026, 5, 1)
HEADER = ["姓名", "性别", "出生日期", "入党日期", "转正日期", "身份", "在职/退休", "备注"]
GOOD_ROWS = [
    ["张三", "男", "1980-05-12", "2005-07-01", "2006-07-01", "正式党员", "在职", ""],
    ["李四", "女", "1990/3/8", "2015.6.1", "2016年6月1日", "正式党员", "退休", "老支书"],
    ["王五", "", "1999年10月", "2025.01", "", "预备党员", "", ""],
    ["赵六", "男", "19750203", "", "", "群众", "在职", ""],
]
EXPECTED = [
    {
        "name": "张三",
        "gender": "男",
        "birth": date(1980, 5, 12),
        "joined": date(2005, 7, 1),
        "confirmed": date(2006, 7, 1),
        "status": MemberStatus.FULL,
        "discipline": Discipline.NONE,
        "employment": "working",
        "local_relation": True,
        "contact": "",
        "note": "",
    },
    {
        "name": "李四",
        "gender": "女",
        "birth": date(1990, 3, 8),
        "joined": date(2015, 6, 1),
        "confirmed": date(2016, 6, 1),
        "status": MemberStatus.FULL,
        "discipline": Discipline.NONE,
        "employment": "retired",
        "local_relation": True,
        "contact": "",
        "note": "老支书",
    },
    {
        "name": "王五",
        "gender": None,
        "birth": date(1999, 10, 1),
        "joined": date(2025, 1, 1),
        "confirmed": None,
        "status": MemberStatus.PROBATIONARY,
        "discipline": Discipline.NONE,
        "employment": "working",
        "local_relation": True,
        "contact": "",
        "note": "",
    },
    {
        "name": "赵六",
        "gender": "男",
        "birth": date(1975, 2, 3),
        "joined": None,
        "confirmed": None,
        "status": MemberStatus.NON_MEMBER,
        "discipline": Discipline.NONE,
        "employment": "working",
        "local_relation": True,
        "contact": "",
        "note": "",
    },
]


# ---- helpers -----------------------------------------------------------------------


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    title: str = "名册",
    skip: int = 0,
    other_sheet_first: bool = False,
) -> Path:
    """A workbook written by openpyxl; ``skip`` blank rows above the table."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if other_sheet_first:
        sheet.title = "封面"
        sheet["A1"] = "某某党支部"
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for number, row in enumerate(rows, start=skip + 1):
        for column, value in enumerate(row, start=1):
            if value is not None and value != "":
                sheet.cell(row=number, column=column, value=value)  # type: ignore[arg-type]
    workbook.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def preview_of(path: Path, existing: Sequence[tuple[str, date | None]] = ()) -> ImportPreview:
    table = read_rows(path)
    return check(table, guess_mapping(list(table.headers)), existing, today=TODAY)


def problems_at(preview: ImportPreview) -> list[tuple[int, str | None]]:
    return [(p.row, p.column) for p in preview.problems]


@pytest.fixture
def election(tmp_path: Path) -> Iterator[ElectionFile]:
    election = ElectionFile.create(
        tmp_path / "x.gongtui", title="t", organization="o", operator="甲"
    )
    yield election
    election.close()


# ---- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-01", date(2020, 1, 1)),
        ("2020/1/1", date(2020, 1, 1)),
        ("2020.1.1", date(2020, 1, 1)),
        ("2020年1月1日", date(2020, 1, 1)),
        ("2020年12月31日", date(2020, 12, 31)),
        ("2020年1月", date(2020, 1, 1)),
        ("2020.01", date(2020, 1, 1)),
        ("2020-01", date(2020, 1, 1)),
        ("2020/1", date(2020, 1, 1)),
        ("2020.11", date(2020, 11, 1)),
        ("20200101", date(2020, 1, 1)),
        ("  2020-03-04\t", date(2020, 3, 4)),
        ("\u30002020年3月\u3000", date(2020, 3, 1)),
        ("２０２０．３．４", date(2020, 3, 4)),
        ("2020-03-04 00:00:00", date(2020, 3, 4)),
        ("", None),
        ("   ", None),
    ],
)
def test_date_text_forms(text: str, expected: date | None) -> None:
    assert parse_date_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["abc", "2020", "2020-1/1", "2020-13-01", "2020-02-30", "2020年13月", "1.1.2020", "十月"],
)
def test_date_text_refuses_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match="日期") as error:
        parse_date_text(text)
    assert f"“{text}”" in str(error.value)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}/{m}/{d}",
            "{y}.{m}.{d}",
            "{y}年{m}月{d}日",
            "{y}{m:02d}{d:02d}",
            "{y}年{m}月",
            "{y}.{m:02d}",
            "{y}-{m:02d}",
            "{y}/{m}",
        ]
    ),
)
def test_every_date_form_reads_back(day: date, form: str) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day)
    expected = day if "{d" in form else day.replace(day=1)
    assert parse_date_text(f" {text} ") == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (43831, date(2020, 1, 1)),
        (43831.75, date(2020, 1, 1)),
        (2_958_465, date(9999, 12, 31)),
    ],
)
def test_excel_serials(serial: float, expected: date) -> None:
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize("serial", [60, 60.5, 0, -1, 2_958_466, math.nan, math.inf])
def test_excel_serials_refused(serial: float) -> None:
    with pytest.raises(ValueError, match="Excel"):
        excel_serial_to_date(serial)


@given(st.floats(min_value=61, max_value=2_958_465.99))
def test_excel_serials_agree_with_openpyxl(serial: float) -> None:
    assert excel_serial_to_date(serial) == from_excel(serial).date()


# ---- reading files -----------------------------------------------------------------


def test_xlsx_header_is_the_first_non_empty_row_and_rows_keep_their_numbers(
    tmp_path: Path,
) -> None:
    rows = [HEADER, GOOD_ROWS[0], [], [], GOOD_ROWS[1], ["", " ", None], GOOD_ROWS[2]]
    table = read_rows(write_xlsx(tmp_path / "名册.xlsx", rows, skip=2))
    assert table == SourceTable(
        file_name="名册.xlsx",
        sheet="名册",
        header_row=3,
        headers=tuple(HEADER),
        rows=table.rows,
        top=table.top,
        source=table.source,
    )
    assert [r.number for r in table.rows] == [4, 7, 9]
    assert table.rows[1].values[:2] == ("李四", "女")


def test_xlsx_first_sheet_unless_named(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, *GOOD_ROWS], other_sheet_first=True)
    assert sheet_names(path) == ["封面", "名册"]
    assert read_rows(path).sheet == "封面"
    table = read_rows(path, sheet="名册")
    assert table.sheet == "名册"
    assert len(table.rows) == 4
    with pytest.raises(ImportFileError, match=r"a\.xlsx.*没有名为“党员”的工作表"):
        read_rows(path, sheet="党员")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [HEADER, *GOOD_ROWS]
    rows[2] = [*rows[2][:-1], "老支书, 爱好“书法”；常住\n城南"]  # quotes, delimiters, newline
    path = write_csv(tmp_path / "名册.csv", rows, encoding=encoding, delimiter=delimiter)
    table = read_rows(path)
    assert table.sheet is None
    assert table.headers == tuple(HEADER)
    preview = check(table, guess_mapping(list(table.headers)), today=TODAY)
    assert preview.problems == ()
    expected = [dict(row) for row in EXPECTED]
    expected[1]["note"] = "老支书, 爱好“书法”；常住\n城南"
    assert list(preview.rows) == expected


def test_csv_blank_lines_are_skipped_and_rows_counted_as_in_a_spreadsheet(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n姓名,身份\n张三,党员\n\n,\n李四,群众\n", encoding="utf-8")
    table = read_rows(path)
    assert table.header_row == 2
    assert [r.number for r in table.rows] == [3, 6]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名册.txt", b"a,b", "只能导入 .xlsx 或 .csv"),
        ("名册.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("名册.xlsx", b"not a zip at all", "已损坏"),
        ("名册.xlsx", b"PK\x03\x04broken", "已损坏"),
        ("名册.csv", b"\x00\x01\x02\xff\xfe\x00binary", "不是文本文件"),
        ("名册.csv", b"", "是空的"),
        ("名册.csv", b"\n , \n\n", "是空的"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message) as error:
        read_rows(path)
    assert name in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    for name in ("无.xlsx", "无.csv"):
        with pytest.raises(ImportFileError, match=f"{name}.*文件不存在"):
            read_rows(tmp_path / name)


def test_empty_workbook(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"e\.xlsx.*是空的"):
        read_rows(write_xlsx(tmp_path / "e.xlsx", []))


# ---- headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "headers"),
    [
        (
            "name",
            ["姓名", "名字", "姓 名", "姓　名", "姓名*", "姓名：", "姓名(必填)", "姓名（必填）"],
        ),
        ("gender", ["性别", " 性别 "]),
        ("birth", ["出生年月", "出生日期", "出生时间", "出生年月日", "出生日期（年/月/日）"]),
        ("joined", ["入党时间", "入党日期", "入党年月"]),
        ("confirmed", ["转正时间", "转正日期"]),
        ("status", ["身份", "类别", "人员类别", "党员类别", "政治面貌"]),
        ("employment", ["在职/退休", "在职／退休", "在职", "退休", "在职状态", "工作状态"]),
        (
            "local_relation",
            ["组织关系", "组织关系所在", "组织关系在本单位", "组织关系是否在本单位"],
        ),
        ("discipline", ["处分", "权利状态", "党纪处分", "处分/权利状态", "处分／权利状态"]),
        ("contact", ["联系方式", "联系电话", "电话", "手机", "手机号码"]),
        ("note", ["备注", "备 注"]),
    ],
)
def test_header_variants(field: str, headers: list[str]) -> None:
    for header in headers:
        assert guess_mapping(["序号", header]) == {1: field}, header


def test_unknown_headers_are_left_out_and_a_field_takes_its_first_column() -> None:
    headers = ["序号", "身份证号", "姓名", "", "电话", "手机", "年龄", "党龄", "权利", "名字"]
    assert guess_mapping(headers) == {2: "name", 4: "contact"}


# ---- values ------------------------------------------------------------------------


def one_row(tmp_path: Path, header: list[str], row: list[object]) -> ImportPreview:
    return preview_of(
        write_xlsx(tmp_path / "v.xlsx", [["姓名", "身份", *header], ["甲", "正式党员", *row]])
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("正式党员", MemberStatus.FULL),
        (" 正式党员 ", MemberStatus.FULL),
        ("预备党员", MemberStatus.PROBATIONARY),
        ("中共预备党员", MemberStatus.PROBATIONARY),
        ("群众", MemberStatus.NON_MEMBER),
        ("非党员", MemberStatus.NON_MEMBER),
        ("共青团员", MemberStatus.NON_MEMBER),
        ("团员", MemberStatus.NON_MEMBER),
    ],
)
def test_status_values(tmp_path: Path, text: str, status: MemberStatus) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["姓名", "政治面貌"], ["甲", text]])
    assert preview_of(path).rows[0]["status"] is status


@pytest.mark.parametrize(
    ("header", "text", "field", "value"),
    [
        ("性别", "男", "gender", "男"),
        ("性别", "女", "gender", "女"),
        ("性别", "", "gender", None),
        ("在职/退休", "在职", "employment", "working"),
        ("在职/退休", "退休", "employment", "retired"),
        ("在职/退休", "离休", "employment", "retired"),
        ("在职/退休", "", "employment", "working"),
        ("组织关系在本单位", "是", "local_relation", True),
        ("组织关系在本单位", "在", "local_relation", True),
        ("组织关系在本单位", "本单位", "local_relation", True),
        ("组织关系在本单位", "√", "local_relation", True),
        ("组织关系在本单位", "", "local_relation", True),
        ("组织关系在本单位", "否", "local_relation", False),
        ("组织关系在本单位", "不在", "local_relation", False),
        ("组织关系在本单位", "×", "local_relation", False),
        ("处分", "无", "discipline", Discipline.NONE),
        ("处分", "", "discipline", Discipline.NONE),
        ("处分", "空", "discipline", Discipline.NONE),
        ("处分", "留党察看", "discipline", Discipline.PROBATION),
        ("处分", "留置", "discipline", Discipline.DETAINED),
        ("处分", "逮捕", "discipline", Discipline.DETAINED),
        ("处分", "被留置", "discipline", Discipline.DETAINED),
        ("处分", "被逮捕", "discipline", Discipline.DETAINED),
        ("处分", "留置/逮捕", "discipline", Discipline.DETAINED),
        ("联系电话", 13800138000, "contact", "13800138000"),
        ("备注", "  调入  ", "note", "调入"),
    ],
)
def test_values(tmp_path: Path, header: str, text: object, field: str, value: object) -> None:
    preview = one_row(tmp_path, [header], [text])
    assert preview.problems == ()
    assert preview.rows[0][field] == value


def test_aligned_chinese_names_lose_their_blanks(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "n.xlsx", [["姓名", "身份"], ["张\u3000三", "正式党员"], ["Li Ming", "群众"]]
    )
    assert [r["name"] for r in preview_of(path).rows] == ["张三", "Li Ming"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1980, 5, 12), date(1980, 5, 12)),
        (datetime(1980, 5, 12, 8, 30), date(1980, 5, 12)),
        (date(1980, 5, 12), date(1980, 5, 12)),
        (29353, date(1980, 5, 12)),  # a serial number in a number cell
        (29353.5, date(1980, 5, 12)),
        (19800512, date(1980, 5, 12)),  # 20200101 typed into a number cell
        (1980.05, date(1980, 5, 1)),  # 1980.05 typed into a number cell
        (1980.12, date(1980, 12, 1)),
        ("1980.1", date(1980, 1, 1)),  # as text the month is clear
        ("1980.10", date(1980, 10, 1)),
    ],
)
def test_date_cells(tmp_path: Path, cell: object, expected: date) -> None:
    preview = one_row(tmp_path, ["出生日期"], [cell])
    assert preview.problems == ()
    assert preview.rows[0]["birth"] == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (1980.1, "分不清是 1980年1月还是 1980年10月"),
        (1980, "只有年份"),
        (60, "1900年2月29日"),
        ("八十年代", "无法识别的日期“八十年代”"),
        ("1980-02-30", "不存在"),
    ],
)
def test_bad_date_cells(tmp_path: Path, cell: object, message: str) -> None:
    preview = one_row(tmp_path, ["出生日期"], [cell])
    assert problems_at(preview) == [(2, "C")]
    assert message in preview.problems[0].message


# ---- problems ----------------------------------------------------------------------

BAD_HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生日期",
    "入党日期",
    "转正日期",
    "身份",
    "在职/退休",
    "处分",
    "组织关系",
]
BAD_ROWS: list[tuple[list[object], str, str, str]] = [
    # (row, column letter, expected words)
    ([1, "", "男", "1980-01-01", "", "", "正式党员", "", "", ""], "B", "未填写姓名"),
    ([2, "甲", "男", "八零年一月", "", "", "正式党员", "", "", ""], "D", "出生日期：无法识别的日期“八零年一月”"),
    ([3, "乙", "男", "1980-01-01", "2010-01-01", "2009-12-31", "正式党员", "", "", ""], "F", "转正日期早于入党日期"),
    ([4, "丙", "男", "2011-01-01", "2010-01-01", "", "正式党员", "", "", ""], "D", "出生日期晚于入党日期"),
    ([5, "丁", "男", "2030-01-01", "", "", "群众", "", "", ""], "D", "晚于今天"),
    ([6, "戊", "男", "1980-01-01", "", "", "党外人士", "", "", ""], "G", "身份“党外人士”无法识别"),
    ([7, "己", "男", "1980-01-01", "", "", "", "", "", ""], "G", "未填写身份"),
    ([8, "庚", "未知", "1980-01-01", "", "", "正式党员", "", "", ""], "C", "性别“未知”无法识别"),
    ([9, "辛", "男", "1980-01-01", "", "", "正式党员", "病休", "", ""], "H", "在职/退休“病休”无法识别"),
    ([10, "壬", "男", "1980-01-01", "", "", "正式党员", "", "警告", ""], "I", "处分/权利状态“警告”无法识别"),
    ([11, "癸", "男", "1980-01-01", "", "", "正式党员", "", "", "外地"], "J", "组织关系在本单位“外地”无法识别"),
    ([12, "子", "男", "1980-01-01", "2010-01-01", "2011-01-01", "预备党员", "", "", ""], "F", "预备党员不应有转正日期"),
    ([13, "张三", "男", "1980-05-12", "", "", "正式党员", "", "", ""], "B", "与第 2 行重复"),
    ([14, "李四", "女", "", "", "", "正式党员", "", "", ""], "B", "选举文件中已有此人"),
]  # fmt: skip


def test_each_problem_names_its_row_and_column(tmp_path: Path) -> None:
    first = [0, "张三", "男", "1980-05-12", "", "", "正式党员", "", "", ""]
    rows = [BAD_HEADER, first, *(row for row, _, _ in BAD_ROWS)]
    path = write_xlsx(tmp_path / "错.xlsx", rows)
    preview = preview_of(path, existing=[("李四", None), ("王五", date(1970, 1, 1))])
    assert not preview.ok
    assert preview.row_numbers == (2,)
    assert len(preview.problems) == len(BAD_ROWS)
    for number, (problem, (_, column, words)) in enumerate(
        zip(preview.problems, BAD_ROWS, strict=True), start=3
    ):
        assert (problem.file, problem.sheet, problem.row, problem.column) == (
            "错.xlsx",
            "名册",
            number,
            column,
        )
        assert words in problem.message
    assert preview.problems[0].describe() == "错.xlsx（工作表“名册”） 第 3 行 B 列：未填写姓名"


def test_a_row_with_several_problems_lists_them_all(tmp_path: Path) -> None:
    rows = [BAD_HEADER, [1, "", "人", "?", "", "", "x", "y", "z", "w"]]
    preview = preview_of(write_xlsx(tmp_path / "多.xlsx", rows))
    assert problems_at(preview) == [(2, c) for c in ("B", "C", "D", "G", "H", "I", "J")]


def test_duplicates_ignore_blanks_and_need_a_readable_birth_date(tmp_path: Path) -> None:
    rows = [
        ["姓名", "身份", "出生日期"],
        ["张三", "正式党员", "八十年代"],
        ["张三", "正式党员", "八十年代"],  # unreadable birth dates: not called duplicates
        ["李四", "正式党员", ""],
        ["李 四", "正式党员", ""],  # no birth date on either: the same person
        ["王五", "正式党员", "1970-01-01"],  # already in the election as 王 五
        ["王五", "正式党员", "1971-01-01"],  # a namesake
    ]
    preview = preview_of(write_xlsx(tmp_path / "d.xlsx", rows), [("王 五", date(1970, 1, 1))])
    assert [(p.row, p.column, p.message[:6]) for p in preview.problems] == [
        (2, "C", "出生日期：无"),
        (3, "C", "出生日期：无"),
        (5, "A", "与第 4 行"),
        (6, "A", "选举文件中已"),
    ]
    assert preview.row_numbers == (4, 7)


def test_csv_problems_name_the_header_and_the_letter(tmp_path: Path) -> None:
    rows = [["姓名", "身份", "出生年月"], ["甲", "正式党员", "去年"], ["", "正式党员", ""]]
    preview = preview_of(write_csv(tmp_path / "错.csv", rows, encoding="gbk"))
    assert [(p.sheet, p.row, p.column) for p in preview.problems] == [
        (None, 2, "出生年月（C列）"),
        (None, 3, "姓名（A列）"),
    ]
    assert preview.problems[1].describe() == "错.csv 第 3 行 姓名（A列）：未填写姓名"


def test_missing_columns(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "缺.xlsx", [["序号", "性别"], [1, "男"]], skip=1)
    preview = preview_of(path)
    assert preview.problems == (
        Problem("缺.xlsx", "名册", 2, None, "没有找到“姓名”列，请指定哪一列是姓名"),
        Problem("缺.xlsx", "名册", 2, None, "没有找到“身份”列，请指定哪一列是身份"),
    )
    assert preview.rows == ()


def test_a_field_mapped_twice_and_a_table_without_people(tmp_path: Path) -> None:
    table = read_rows(write_xlsx(tmp_path / "t.xlsx", [["姓名", "名字", "身份"]]))
    twice = check(table, {0: "name", 1: "name", 2: "status"})
    assert problems_at(twice) == [(1, "B")]
    assert "一项只能对应一列" in twice.problems[0].message
    empty = check(table, {0: "name", 2: "status"})
    assert [p.message for p in empty.problems] == ["表格中没有人员"]
    assert not empty.ok
    with pytest.raises(ValueError, match="unknown roster fields"):
        check(table, {0: "名字"})


def test_a_mapping_chosen_by_hand(tmp_path: Path) -> None:
    rows = [["列1", "列2"], ["正式党员", "张三"]]
    table = read_rows(write_xlsx(tmp_path / "h.xlsx", rows))
    assert guess_mapping(list(table.headers)) == {}
    preview = check(table, {1: "name", 0: "status"})
    assert preview.ok
    assert preview.rows[0]["name"] == "张三"


# ---- malformed rows (property) -------------------------------------------------------

KINDS = ("good", "blank_name", "bad_date", "bad_status")
JUNK_DATE = st.text(alphabet="abcxyz甲乙丙？！@#-/. 年月日", min_size=1, max_size=8).filter(
    lambda s: any(c.isalpha() or c in "？！@#" for c in s)
)
JUNK_STATUS = st.text(alphabet="xyz甲乙丙丁？!", min_size=1, max_size=6)


@st.composite
def rosters(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[str, str, str, str]]]:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=12))
    if all(k == "good" for k in kinds):
        kinds[draw(st.integers(0, len(kinds) - 1))] = draw(st.sampled_from(KINDS[1:]))
    rows = []
    for number, kind in enumerate(kinds):
        name = f"党员{number}"
        birth = f"19{number + 50}-0{number % 9 + 1}-1{number % 10}"
        joined = f"20{number + 10}.07"
        status = draw(st.sampled_from(["正式党员", "预备党员", "群众", "正式"]))
        if kind == "blank_name":
            name = draw(st.sampled_from(["", " ", "\u3000", "  \t"]))
        elif kind == "bad_date":
            junk = draw(JUNK_DATE)
            if draw(st.booleans()):
                birth = junk
            else:
                joined = junk
        elif kind == "bad_status":
            status = draw(JUNK_STATUS)
        rows.append((name, birth, joined, status))
    return draw(st.sampled_from(["xlsx", "csv"])), kinds, rows


@settings(max_examples=40, deadline=None)
@given(rosters())
def test_every_malformed_row_is_reported_and_nothing_is_saved(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[str, list[str], list[tuple[str, str, str, str]]],
) -> None:
    suffix, kinds, rows = case
    folder = tmp_path_factory.mktemp("junk")
    table = [["姓名", "出生日期", "入党日期", "身份"], *map(list, rows)]
    if suffix == "csv":
        path = write_csv(folder / "名册.csv", table, encoding="gb18030")
    else:
        path = write_xlsx(folder / "名册.xlsx", table)
    preview = preview_of(path)
    bad = {n for n, kind in enumerate(kinds, start=2) if kind != "good"}
    good = tuple(n for n, kind in enumerate(kinds, start=2) if kind == "good")
    assert {p.row for p in preview.problems} == bad
    assert preview.row_numbers == good
    assert not preview.ok
    election = ElectionFile.create(folder / "x.gongtui", title="t", organization="o", operator="甲")
    try:
        with pytest.raises(ValueError, match="处问题"):
            save(election, "甲", preview, path.name)
        assert election.people() == []
        assert election.audit_length == 1
    finally:
        election.close()


# ---- saving ------------------------------------------------------------------------


def test_a_good_file_is_saved_in_one_audit_entry(tmp_path: Path, election: ElectionFile) -> None:
    path = write_xlsx(tmp_path / "名册.xlsx", [HEADER, *GOOD_ROWS])
    preview = preview_of(path, existing_keys(election.people()))
    assert preview.ok
    before = election.audit_length
    ids = save(election, "甲", preview, path.name)
    assert len(ids) == 4
    assert election.audit_length == before + 1
    entry = election.audit_entries()[-1]
    assert (entry.operator, entry.action) == ("甲", "导入党员名册：名册.xlsx（4 人）")
    people = election.people()
    assert [r.id for r in people] == ids
    assert [
        (r.person.name, r.person.status, r.person.birth, r.person.confirmed, r.employment)
        for r in people
    ] == [(e["name"], e["status"], e["birth"], e["confirmed"], e["employment"]) for e in EXPECTED]
    # The same file again: everyone is already there.
    again = preview_of(path, existing_keys(election.people()))
    assert [p.message for p in again.problems] == ["选举文件中已有此人（姓名和出生日期相同）"] * 4


def test_a_refused_save_adds_nothing(tmp_path: Path, election: ElectionFile) -> None:
    path = write_xlsx(tmp_path / "名册.xlsx", [HEADER, *GOOD_ROWS, ["", "男"]])
    preview = preview_of(path)
    assert len(preview.rows) == 4
    assert not preview.ok
    before = election.audit_length
    with pytest.raises(ValueError, match="名册还有 2 处问题"):
        save(election, "甲", preview, path.name)
    empty = ImportPreview("a.xlsx", "名册", (), (), ())
    with pytest.raises(ValueError, match="没有可导入的人员"):
        save(election, "甲", empty, "a.xlsx")
    assert election.audit_length == before
    assert election.people() == []


# ---- template and export ------------------------------------------------------------


def test_template_headers_are_recognised(tmp_path: Path) -> None:
    path = write_template(tmp_path / "模板.xlsx")
    table = read_rows(path)
    assert table.sheet == "党员名册"
    mapping = guess_mapping(list(table.headers))
    assert sorted(mapping.values()) == sorted(FIELDS)
    assert [FIELDS[mapping[i]] for i in range(len(FIELDS))] == list(table.headers)
    preview = check(table, mapping, today=TODAY)
    assert preview.ok  # the example row is a valid person
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["党员名册", "说明"]
    sheet = workbook["党员名册"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.name == "宋体"
    assert sheet["C2"].font.name == "宋体"
    assert sheet.column_dimensions["A"].width == 10
    notes = workbook["说明"]
    text = "".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "2020年1月1日" in text
    assert "留党察看" in text


def _people(election: ElectionFile) -> None:
    election.add_people(
        "甲",
        [
            {"name": "张三", "gender": "男", "birth": date(1980, 2, 29), "joined": date(2004, 6, 30),
             "confirmed": date(2005, 6, 30), "status": MemberStatus.FULL, "contact": "010-12345678",
             "note": "=1+1"},
            {"name": "李四", "gender": "女", "birth": date(2001, 9, 1), "joined": date(2025, 7, 1),
             "status": MemberStatus.PROBATIONARY, "local_relation": False},
            {"name": "王五", "status": MemberStatus.FULL, "discipline": Discipline.PROBATION,
             "employment": "retired", "confirmed": date(1990, 1, 1)},
            {"name": "赵六", "status": MemberStatus.FULL, "discipline": Discipline.DETAINED},
            {"name": "钱七", "status": MemberStatus.NON_MEMBER, "birth": date(1995, 5, 5)},
        ],
        "录入",
    )  # fmt: skip


def test_export_reads_back_as_the_same_people(tmp_path: Path, election: ElectionFile) -> None:
    _people(election)
    people = election.people()
    path = export_roster(tmp_path / "导出.xlsx", people, date(2026, 2, 28))
    preview = preview_of(path)
    assert preview.problems == ()
    copy = ElectionFile.create(tmp_path / "y.gongtui", title="t", organization="o", operator="乙")
    try:
        save(copy, "乙", preview, path.name)
        again = copy.people()
    finally:
        copy.close()
    assert [(r.person, r.gender, r.employment, r.contact, r.note) for r in again] == [
        (r.person, r.gender, r.employment, r.contact, r.note) for r in people
    ]


def test_export_computes_age_standing_and_rights(tmp_path: Path, election: ElectionFile) -> None:
    _people(election)
    path = export_roster(tmp_path / "导出.xlsx", election.people(), date(2026, 2, 28))
    sheet = load_workbook(path)["党员名册"]
    header = [c.value for c in sheet[1]]
    assert header == [*FIELDS.values(), "年龄", "党龄", "权利"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    # Born 29 February 1980: 46 only on 1 March 2026 (N4); 党龄 counts from 转正日期.
    assert rows[0][11:] == [45, 20, "正式党员，享有表决权、选举权和被选举权"]
    assert rows[1][11:] == [24, None, "预备党员没有表决权、选举权和被选举权"]
    assert rows[2][11:] == [None, 36, "留党察看期间没有表决权、选举权和被选举权"]
    assert rows[3][13] == "被留置或逮捕，选举权和被选举权暂停行使"
    assert rows[4][13] == "群众不参加选举，可列席、参加推荐和测评"
    assert rows[0][5:11] == ["正式党员", "在职", "是", "无", "010-12345678", "=1+1"]
    assert rows[1][7] == "否"
    assert rows[2][6] == "退休"
    assert rows[3][8] == "留置/逮捕"
    assert sheet["K2"].data_type == "s"  # text, never a formula
    assert isinstance(sheet["C2"].value, datetime)
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert all(c.font.name == "宋体" for row in sheet.iter_rows() for c in row)
    assert sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


# ---- people already on the roster ---------------------------------------------------


def test_namesakes_are_matched_shown_and_never_added_twice_unasked(
    tmp_path: Path, election: ElectionFile
) -> None:
    """R1–R3: people typed as candidates (a name only) are completed by the roster, a
    namesake with another birth date is proposed as someone new, several possible matches
    wait for the user; nothing is added twice without a decision."""
    from gongtui_desktop.services.roster_import import (
        ADD_NEW,
        match_people,
        proposed_decisions,
    )

    wang = election.add_person("甲", "王 芳", MemberStatus.FULL)  # typed as a candidate
    li = election.add_person("甲", "李娜", MemberStatus.FULL, birth=date(1960, 6, 6))
    zhang = [election.add_person("甲", "张伟", MemberStatus.FULL) for _ in range(2)]
    rows = [
        ["姓名", "身份", "出生日期", "性别", "联系方式"],
        ["王芳", "预备党员", "1982-02-02", "女", ""],
        ["李娜", "正式党员", "1980-01-01", "女", ""],  # another 李娜
        ["张伟", "正式党员", "1975-03-02", "男", "139"],
        ["赵六", "群众", "", "", ""],
        ["张伟", "正式党员", "1990-08-15", "男", "138"],
    ]
    path = write_xlsx(tmp_path / "名册.xlsx", rows)
    preview = preview_of(path)
    assert preview.ok and preview.fields == ("name", "status", "birth", "gender", "contact")
    matches = match_people(preview, election.people())
    assert [(m.row, m.name, [n.record.id for n in m.namesakes]) for m in matches] == [
        (2, "王芳", [wang]),
        (3, "李娜", [li]),
        (4, "张伟", zhang),
        (6, "张伟", zhang),
    ]
    assert matches[1].namesakes[0].same_birth is False
    assert matches[1].namesakes[0].describe() == "李娜（1960年6月6日生，正式党员）"
    assert proposed_decisions(matches) == {0: wang, 1: ADD_NEW}  # 张伟: the user chooses

    before = election.audit_length
    with pytest.raises(ValueError, match="名册中已有同名的人：张伟"):
        save(election, "甲", preview, path.name, proposed_decisions(matches))
    with pytest.raises(ValueError, match="同一个人只能更新一次"):
        save(election, "甲", preview, path.name, {0: wang, 1: ADD_NEW, 2: zhang[0], 4: zhang[0]})
    with pytest.raises(ValueError, match="只能更新名册中同名的人"):
        save(election, "甲", preview, path.name, {0: wang, 1: ADD_NEW, 2: li, 4: ADD_NEW})
    assert election.audit_length == before and len(election.people()) == 4

    ids = save(election, "甲", preview, path.name, {0: wang, 1: ADD_NEW, 2: zhang[1], 4: ADD_NEW})
    assert election.audit_length == before + 1
    assert election.audit_entries()[-1].action == (
        "导入党员名册：名册.xlsx（5 人，新增 3 人，更新名册中已有的 2 人）"
    )
    people = {p.id: p for p in election.people()}
    assert len(people) == 7 and [people[i].person.name for i in ids] == ["李娜", "赵六", "张伟"]
    assert people[wang].person.name == "王 芳"  # the name as it was; the rest completed
    assert people[wang].person.status is MemberStatus.PROBATIONARY
    assert (people[wang].person.birth, people[wang].gender) == (date(1982, 2, 2), "女")
    assert (people[zhang[1]].person.birth, people[zhang[1]].contact) == (date(1975, 3, 2), "139")
    assert people[zhang[0]].person.birth is None
    assert people[li].person.birth == date(1960, 6, 6)

    # The same file again: everyone is found; blank cells never erase what is known.
    again = match_people(preview_of(path), election.people())
    assert [m.name for m in again] == ["王芳", "李娜", "张伟", "赵六", "张伟"]
    assert [n.same_birth for n in again[3].namesakes] == [None]
    assert [n.same_birth for n in again[4].namesakes] == [True, None, False]  # likeliest first
