"""Official-paper layout for Word documents (GB/T 9704), with fonts set explicitly.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 宋体 (小标宋
where installed) 二号 bold; body 仿宋 三号; headings 黑体 / 楷体 三号; tables 仿宋
小四. Every East Asian run names its font in ``w:eastAsia`` so Word and WPS never
fall back to a Latin font. An official report's footer carries the page number and the
audit chain's hash, so a printed page can be checked against the election file. A form that
voters fill in (选票, 推荐票, 测评表) has no footer at all: every copy must be identical, so
nothing printed on it can tell one voter's paper from another's (secret ballot).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "宋体"  # the fallback, in bold, where 小标宋 is not installed
SMALL_TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
TEXT_WIDTH_MM = {False: 210 - 28 - 26, True: 297 - 28 - 26}  # portrait, landscape
# Words a title line never breaks inside (GB/T 9704: titles break between words).
TITLE_WORDS = (
    "中国共产党",
    "党支部",
    "支部委员会",
    "委员会",
    "委员",
    "副书记",
    "书记",
    "换届",
    "选举",
    "结果",
    "报告单",
    "报告",
    "请示",
    "情况",
    "汇总",
    "工作",
    "总结",
    "民主",
    "推荐",
    "测评",
    "资格",
    "审查",
    "初步人选",
    "预备人选",
    "候选人",
    "会议",
    "记录",
    "计票",
    "党员",
    "大会",
    "公推直选",
    "关于",
)
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
LATIN_FONT = "Times New Roman"
SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_FOOTER = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四
UNFINISHED = "未完成"
# A rule id of the program's rule book, as the engine appends it: "(R8)", "（E4）",
# "(N1–N5)", "(R4, R5)". Official papers speak plain Chinese: ids stay in the program.
RULE_CODE = re.compile(
    r"\s*[（(]\s*[RNEB]\d+(?:\s*[、,，–—~-]\s*[RNEB]?\d+)*\s*[)）]"
    r"|\s*\b[RNE]\d{1,2}\b(?=\s*$|[）)，。；])"
)


def plain(text: str) -> str:
    """``text`` without the rule ids of the program's rule book."""
    return RULE_CODE.sub("", text)


def set_font(run: Run, east_asian: str, size: Pt, bold: bool = False) -> Run:
    """Latin and East Asian font of one run, explicitly; the run's text loses rule ids."""
    if run.text and RULE_CODE.search(run.text):
        run.text = plain(run.text)
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    return run


def new_document(landscape: bool = False) -> DocumentType:
    """An empty A4 document with the official margins and 仿宋 三号 as the normal style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    return document


@lru_cache(maxsize=1)
def title_font() -> tuple[str, bool]:
    """(font, bold) of titles: 方正小标宋简体 where this computer has it (GB/T 9704's
    小标宋), else bold 宋体, which every Chinese Windows has and which Word shows as is."""
    names = ("FZXBSJW", "方正小标宋", "FZXiaoBiaoSong")
    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    for folder in folders:
        with contextlib.suppress(OSError):
            if folder.is_dir() and any(
                n.lower() in f.name.lower() for f in folder.iterdir() for n in names
            ):
                return SMALL_TITLE_FONT, False
    if shutil.which("fc-list"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            listed = subprocess.run(
                ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10
            ).stdout
            if any(n in listed for n in names):
                return SMALL_TITLE_FONT, False
    return TITLE_FONT, True


def _width(text: str) -> float:
    """Width in Chinese characters: Latin letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _protected(text: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    """Spans a title never breaks inside: known words, the given names, brackets, quotes."""
    spans = [m.span() for m in re.finditer(r"（[^）]*）|“[^”]*”|《[^》]*》|[0-9A-Za-z]+", text)]
    for word in (*keep, *TITLE_WORDS):
        if word:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(word), text))
    return spans


def title_lines(text: str, per_line: float, keep: Sequence[str] = ()) -> list[str]:
    """A title in lines of at most ``per_line`` characters, broken between words, the
    lines as even as they can be (longer above), so no line holds a lone character."""
    if _width(text) <= per_line:
        return [text]
    spans = _protected(text, keep)
    best: tuple[float, int] | None = None
    for cut in range(2, len(text) - 1):
        head, tail = text[:cut], text[cut:]
        if _width(head) > per_line or len(tail) < 2:
            continue
        inside = any(start < cut < end for start, end in spans)
        score = abs(_width(head) - _width(tail)) + (0.5 if _width(tail) > _width(head) else 0)
        score += 100 if inside else 0
        if best is None or score < best[0]:
            best = (score, cut)
    if best is None:
        return [text]
    return [text[: best[1]], *title_lines(text[best[1] :], per_line, keep)]


def add_title(
    document: DocumentType, text: str, unfinished: bool = False, keep: Sequence[str] = ()
) -> Paragraph:
    """The title in 二号 小标宋 (or bold 宋体), centred, broken between words; ``keep`` names
    (the organisation) are never broken."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(16)
    section = document.sections[-1]
    landscape = section.page_width > section.page_height
    per_line = int(TEXT_WIDTH_MM[bool(landscape)] / SIZE_TITLE.mm)
    font, bold = title_font()
    for number, line in enumerate(title_lines(plain(text), per_line, keep)):
        run = paragraph.add_run()
        if number:
            run.add_break()
        run.add_text(line)
        set_font(run, font, SIZE_TITLE, bold=bold)
    if unfinished:
        note = document.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(
            note.add_run(f"（{UNFINISHED}：选举尚未全部结束，以下为截至导出时的情况）"),
            BODY_FONT,
            SIZE_BODY,
            bold=True,
        )
    return paragraph


def add_heading(document: DocumentType, text: str, level: int = 1) -> Paragraph:
    """一、… in 黑体; （一）… in 楷体 (GB/T 9704 heading levels)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.paragraph_format.keep_with_next = True
    set_font(paragraph.add_run(text), HEADING_FONT if level == 1 else SUBHEADING_FONT, SIZE_BODY)
    return paragraph


def add_text(
    document: DocumentType, text: str, indent: bool = True, align_right: bool = False
) -> Paragraph:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
    if align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(paragraph.add_run(text), BODY_FONT, SIZE_BODY)
    return paragraph


def add_table(
    document: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float] | None = None,
) -> Table:
    """A bordered table in 仿宋 小四; numbers centred."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell.paragraphs[0], str(header), bold=True)
    _row_property(table.rows[0], "w:tblHeader")  # repeated at the top of every page
    _row_property(table.rows[0], "w:cantSplit")
    for values in rows:
        row = table.add_row()
        _row_property(row, "w:cantSplit")  # a row is never cut across two pages
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell.paragraphs[0], "" if value is None else str(value))
    if widths_mm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
    document.add_paragraph()
    return table


def _row_property(row: _Row, tag: str) -> None:
    """A row property such as ``w:tblHeader`` (repeat as header) or ``w:cantSplit``."""
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn(tag)) is None:
        properties.append(OxmlElement(tag))


def keep_with_next(paragraph: Paragraph) -> Paragraph:
    """The paragraph stays on the page of the one after it (and is not split itself)."""
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True
    return paragraph


def keep_last_with_next(document: DocumentType) -> None:
    """What the document ends with so far stays with what comes next: its last paragraph
    with text (and the blank ones after it), or the last row of a table that ends it."""
    body = document.element.body
    elements = [e for e in body.iterchildren() if e.tag != qn("w:sectPr")]
    for element in reversed(elements):
        if element.tag == qn("w:tbl"):
            for cell in Table(element, document._body).rows[-1].cells:
                for paragraph in cell.paragraphs:
                    keep_with_next(paragraph)
            return
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document._body)
            keep_with_next(paragraph)
            if paragraph.text.strip():
                return


def add_signature_block(
    document: DocumentType, lines: Sequence[str], *, date_line: str | None = None
) -> list[Paragraph]:
    """Signature lines (and the date under them) kept together on one page, and kept with
    the paragraph before them: a page never holds the signatures alone."""
    keep_last_with_next(document)
    written = [add_text(document, line, indent=False) for line in lines]
    if date_line is not None:
        written.append(add_text(document, date_line, align_right=True, indent=False))
    for paragraph in written[:-1]:
        keep_with_next(paragraph)
    return written


def _cell_text(paragraph: Paragraph, text: str, bold: bool = False) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    set_font(paragraph.add_run(text), BODY_FONT, SIZE_TABLE, bold=bold)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field such as PAGE, updated by Word when the document is shown or printed."""
    run = paragraph.add_run()
    set_font(run, PAGE_NUMBER_FONT, SIZE_FOOTER)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._element.append(element)


def _page_number_footer(footer, short_hash: str, odd: bool) -> None:  # type: ignore[no-untyped-def]
    """— 1 — in 四号 宋体, one character in from the right (odd pages) or the left (even
    pages) as GB/T 9704 places it; under it the audit chain's hash, centred."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        paragraph.paragraph_format.right_indent = SIZE_FOOTER
    else:
        paragraph.paragraph_format.left_indent = SIZE_FOOTER
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_FOOTER)
    _field(paragraph, "PAGE")
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_FOOTER)
    check = footer.add_paragraph()
    check.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(check.add_run(f"选举文件校验码 {short_hash}"), BODY_FONT, Pt(10.5))


def set_footer(document: DocumentType, short_hash: str) -> None:
    """Page numbers on the outer side of odd and even pages, and the audit chain's hash so a
    printed page can be checked against the election file."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        _page_number_footer(section.footer, short_hash, odd=True)
        _page_number_footer(section.even_page_footer, short_hash, odd=False)


def save(
    document: DocumentType,
    path: Path,
    short_hash: str,
    *,
    voter_form: bool = False,
    author: str = "",
) -> Path:
    """Write the document; an official report gets the page number and hash footer, a
    voter's form (``voter_form``) none, since a page number or a hash that changes with the
    file would mark one copy or one printing apart from another (secret ballot).

    The core properties name the document (its title line) and the organisation; the
    packet sets created/modified to the export time and removes the template's leftovers."""
    if not voter_form:
        set_footer(document, short_hash)
    # Fixed core properties keep two exports of the same file identical apart from the time.
    properties = document.core_properties
    title = next((p.text for p in document.paragraphs if p.text.strip()), "").replace("\n", "")
    properties.title = title[:200]
    properties.subject = title[:200]
    properties.comments = ""
    properties.keywords = ""
    properties.author = author or "公推直选计票"
    properties.last_modified_by = author or "公推直选计票"
    properties.revision = 1
    document.save(str(path))
    return path
