"""GB/T 9704 form of the Word documents: titles in 小标宋 (bold 宋体 where it is missing)
broken between words, page numbers on the outer side of odd and even pages. Documents are
written by the program and read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from gongtui_desktop.reports import documents, docx_base
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile

LONG_ORGANISATION = "中共某某市某某区统计局机关第二党支部"


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "区统计局党支部换届“公推直选”工作总结（初稿）",
            ["区统计局党支部换届", "“公推直选”工作总结（初稿）"],
        ),
        (
            f"{LONG_ORGANISATION}初步人选资格审查情况",
            [LONG_ORGANISATION, "初步人选资格审查情况"],
        ),
        (
            f"{LONG_ORGANISATION}支部委员会委员选举计票结果报告单",
            [LONG_ORGANISATION, "支部委员会委员选举计票结果报告单"],
        ),
        ("关于区统计局党支部选举结果的报告", ["关于区统计局党支部选举结果的报告"]),
    ],
)
def test_titles_break_between_words(title: str, lines: list[str]) -> None:
    got = docx_base.title_lines(title, 20, (LONG_ORGANISATION, "区统计局党支部"))
    assert got == lines
    assert all(_width(line) <= 20 and len(line) >= 2 for line in got)


def test_a_title_never_leaves_one_character_alone() -> None:
    # 21 characters: the greedy break would leave 况 alone on the second line.
    title = "某某市统计局机关党支部初步人选资格审查情况"
    lines = docx_base.title_lines(title, 20)
    assert "".join(lines) == title and len(lines) == 2
    assert min(len(line) for line in lines) >= 4


@pytest.fixture
def long_named(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = write_demo(tmp_path / "长.gongtui", completed=True)
    with ElectionFile.open(path) as election:
        election.update_election("甲", organization=LONG_ORGANISATION)
    with ElectionFile.open(path, read_only=True) as election:
        yield election


def test_the_written_title_is_broken_and_in_the_title_font(
    long_named: ElectionFile, tmp_path: Path
) -> None:
    docx_base.title_font.cache_clear()
    try:
        path = documents.write_work_summary(long_named, tmp_path / "总结.docx")
    finally:
        docx_base.title_font.cache_clear()
    title = docx.Document(str(path)).paragraphs[0]
    lines = title.text.split("\n")
    assert lines == [LONG_ORGANISATION, "换届“公推直选”工作总结（初稿）"]
    assert all(_width(line) <= 20 and len(line) >= 2 for line in lines)
    font, bold = docx_base.title_font()
    for run in title.runs:
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == font
        assert run.font.size.pt == 22 and bool(run.font.bold) == bold


def test_small_title_font_where_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = tmp_path / "Windows" / "Fonts"
    fonts.mkdir(parents=True)
    (fonts / "FZXBSJW.TTF").write_bytes(b"")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    docx_base.title_font.cache_clear()
    try:
        assert docx_base.title_font() == ("方正小标宋简体", False)
        document = docx_base.new_document()
        run = docx_base.add_title(document, "选举大会会议记录").runs[0]
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        assert not run.font.bold
    finally:
        docx_base.title_font.cache_clear()
    monkeypatch.setenv("WINDIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("PATH", "")  # no fc-list either
    try:
        assert docx_base.title_font() == ("宋体", True)
    finally:
        docx_base.title_font.cache_clear()


def test_page_numbers_on_the_outer_side_of_odd_and_even_pages(tmp_path: Path) -> None:
    with ElectionFile.open(
        write_demo(tmp_path / "done.gongtui", completed=True), read_only=True
    ) as election:
        path = documents.write_minutes(election, tmp_path / "记录.docx")
        short = election.short_hash
    document = docx.Document(str(path))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        number, check = footer.paragraphs[:2]
        assert number.alignment == alignment
        odd = alignment == WD_ALIGN_PARAGRAPH.RIGHT
        layout = number.paragraph_format
        indent = layout.right_indent if odd else layout.left_indent
        assert indent is not None and indent.pt == 14  # one 四号 character in
        assert "PAGE" in number._p.xml and number.text.startswith("— ")
        assert all(
            run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and run.font.size.pt == 14
            for run in number.runs
        )
        assert check.text == f"选举文件校验码 {short}"
