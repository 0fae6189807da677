"""The printable forms written as real .docx files and read back with python-docx."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from lxml import etree

from gongtui_desktop.domain.evaluation import DIMENSIONS
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.reports.documents import rounds_of, write_minutes, write_tally_report
from gongtui_desktop.reports.forms import (
    write_ballots,
    write_evaluation_form,
    write_recommendation_form,
)
from gongtui_desktop.services.demo import OPERATOR, write_demo
from gongtui_desktop.store.election_file import ElectionFile
from tests.store.sample import build_sample

STROKE_ORDER = ("刘建国", "陈晓红", "项上桢", "郭卫民")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "d.gongtui", completed=True)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[ElectionFile]:
    election = ElectionFile.open(demo_path, read_only=True)
    yield election
    election.close()


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "s.gongtui"
    build_sample(path).close()
    return path


@pytest.fixture
def sample(sample_path: Path) -> Iterator[ElectionFile]:
    election = ElectionFile.open(sample_path, read_only=True)
    yield election
    election.close()


def header_footer_parts(document: DocumentType) -> list[str]:
    """The XML of every header and footer part in the package, whichever section uses it."""
    return [
        part.blob.decode("utf-8")
        for part in document.part.package.iter_parts()
        if str(part.partname).rsplit("/", 1)[-1].startswith(("header", "footer"))
    ]


def assert_no_footer(document: DocumentType, short_hash: str) -> None:
    """No page number, no hash, no text at all in any header or footer of any section."""
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            assert part.is_linked_to_previous  # no part of its own: nothing printed there
            assert all(not p.text.strip() for p in part.paragraphs)
    for xml in header_footer_parts(document):
        assert "PAGE" not in xml and "fldChar" not in xml and "fldSimple" not in xml
        assert short_hash not in xml
    body = document.element.body.xml
    assert "instrText" not in body and "fldSimple" not in body and short_hash not in body


def copies_of(document: DocumentType) -> list[str]:
    """The body split into copies at each page break before a title, each as its XML with
    that page break taken out (the first copy has none) and its own text."""
    copies: list[list[str]] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            continue
        element = copy.deepcopy(element)  # every copy serialised alike (namespaces)
        starts = element.find(qn("w:pPr") + "/" + qn("w:pageBreakBefore"))
        if starts is not None or not copies:
            copies.append([])
        if starts is not None:
            starts.getparent().remove(starts)
        # Word wants each picture's drawing id unique in the file; it is never printed.
        for drawing in element.iter(qn("wp:docPr")):
            drawing.set("id", "0")
            drawing.set("name", "")
        copies[-1].append(etree.tostring(element, encoding="unicode"))
    return ["".join(parts) for parts in copies]


def copy_texts(xml: str) -> str:
    return "".join(etree.fromstring(f"<r {NS}>{xml}</r>").itertext())


NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' + " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in (
        ("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
        ("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
        ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
        ("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
    )
)


def assert_identical_copies(path: Path, copies: int, short_hash: str) -> list[str]:
    """Reopen the written file: ``copies`` copies, the same text and the same XML each (the
    same pictures by the same relationship), and nothing in any header or footer."""
    document = docx.Document(str(path))
    assert_no_footer(document, short_hash)
    parts = copies_of(document)
    assert len(parts) == copies
    texts = [copy_texts(part) for part in parts]
    assert all(text == texts[0] for text in texts), texts
    assert all(part == parts[0] for part in parts)
    assert len(document.sections) == 1
    return texts


def body_text(document: DocumentType) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def column(table: Table, index: int = 0) -> list[str]:
    return [row.cells[index].text for row in table.rows]


def check_official_paper(
    document: DocumentType,
    short_hash: str,
    copies: int,
    margins_mm: tuple[int, int, int, int] = (37, 35, 28, 26),
) -> None:
    """A4, GB/T 9704 margins (a ballot's own where told), fonts named for East Asian text,
    no footer (no page number, no hash), one page break per copy."""
    section = document.sections[0]
    width, height = sorted((section.page_width.mm, section.page_height.mm))
    assert (round(width), round(height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin)
    assert tuple(round(m.mm) for m in (*margins, section.right_margin)) == margins_mm
    runs = list(document.element.body.iter(qn("w:r")))
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.xml
    # A voter's form carries nothing that differs between copies or printings: no footer.
    assert_no_footer(document, short_hash)
    breaks = [p for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == copies - 1
    assert len(document.tables) >= copies


# ---- 选票 --------------------------------------------------------------------


BALLOT_MARGINS = (20, 20, 20, 20)


def _shaded(cell: _Cell) -> str | None:
    shading = cell._tc.find(qn("w:tcPr") + "/" + qn("w:shd"))
    return None if shading is None else shading.get(qn("w:fill"))


def ballot_parts(table: Table) -> tuple[list[str], int]:
    """Candidates (column by column, between the header and the 另选他人 row) and the number
    of write-in slots; every mark box empty, the corner cells black."""
    rows = table.rows
    header = next(i for i, r in enumerate(rows) if r.cells[1].text == "候选人姓名")
    label = next(i for i, r in enumerate(rows) if r.cells[1].text.startswith("另选他人"))
    groups = [j for j, cell in enumerate(rows[header].cells) if cell.text == "候选人姓名"]
    assert all(rows[header].cells[j + 1].text == "符号" for j in groups)
    names: list[str] = []
    slots = 0
    for j in groups:
        for row in rows[header + 1 : label]:
            assert row.cells[j + 1].text == ""  # every mark box is empty
            if _shaded(row.cells[j]) is None:
                names.append(row.cells[j].text)
        for row in rows[label + 1 : -2]:
            assert row.cells[j].text == row.cells[j + 1].text == ""
            slots += _shaded(row.cells[j]) is None
    for row in (rows[0], rows[-1]):
        assert _shaded(row.cells[0]) == _shaded(row.cells[-1]) == "000000"
    return names, slots


def test_committee_ballot_in_stroke_order(demo: ElectionFile, tmp_path: Path) -> None:
    path = write_ballots(demo, 1, 1, 3, tmp_path / "选票.docx")
    document = docx.Document(str(path))
    check_official_paper(document, demo.short_hash, copies=3, margins_mm=BALLOT_MARGINS)
    assert len(document.tables) == 3
    for table in document.tables:
        assert ballot_parts(table) == (list(STROKE_ORDER), 3)
    text = body_text(document)
    assert text.count("区统计局党支部委员会委员选举选票") == 3
    assert "应选 3 名" in text and "按姓氏笔画为序" in text
    assert "画“○”" in text and "画“×”" in text and "不画任何符号" in text
    assert "等于或少于应选人数的为有效票，多于应选人数的为废票" in text
    assert "另选他人" in text and "监票人" in text
    assert "（正式选举）" not in text


def test_secretary_ballot_keeps_the_approved_order(demo: ElectionFile, tmp_path: Path) -> None:
    secretary = next(c for c in demo.contests() if c.contest.position is Position.SECRETARY)
    round_id = demo.rounds(secretary.id)[0].id
    path = write_ballots(demo, secretary.id, round_id, 2, tmp_path / "书记选票.docx")
    document = docx.Document(str(path))
    check_official_paper(document, demo.short_hash, copies=2, margins_mm=BALLOT_MARGINS)
    assert [ballot_parts(t) for t in document.tables] == [(["项上桢", "郭卫民"], 1)] * 2
    text = body_text(document)
    assert "区统计局党支部书记选举选票" in text
    assert "按姓氏笔画为序" not in text


def test_tie_break_ballot_names_its_kind(sample: ElectionFile, tmp_path: Path) -> None:
    tie_break = sample.rounds(1)[1]
    path = write_ballots(sample, 1, tie_break.id, 2, tmp_path / "重新投票.docx")
    document = docx.Document(str(path))
    assert [ballot_parts(t) for t in document.tables] == [(["王五", "赵六"], 1)] * 2
    assert body_text(document).count("（重新投票）") == 2


def test_ballot_without_round_uses_the_contest(sample: ElectionFile, tmp_path: Path) -> None:
    """A contest with no round yet: its first round from the contest's candidates and seats."""
    path = write_ballots(sample, 2, None, 4, tmp_path / "书记.docx")
    document = docx.Document(str(path))
    check_official_paper(document, sample.short_hash, copies=4, margins_mm=BALLOT_MARGINS)
    assert [ballot_parts(t) for t in document.tables] == [(["张三", "李四"], 1)] * 4
    assert "不计为赞成" in body_text(document)  # writein_without_mark = ignore (R6)


def test_ballot_without_round_uses_the_open_round(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "ready.gongtui"), read_only=True) as election:
        path = write_ballots(election, 1, None, 1, tmp_path / "选票.docx", scrutineer_line=False)
        document = docx.Document(str(path))
        assert ballot_parts(document.tables[0]) == (list(STROKE_ORDER), 3)
        assert "监票人" not in body_text(document)
        with pytest.raises(ValueError, match="还没有确定候选人"):
            write_ballots(election, 2, None, 1, tmp_path / "书记.docx")


def test_ballot_refusals(demo: ElectionFile, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="已选举完毕"):
        write_ballots(demo, 1, None, 1, tmp_path / "a.docx")
    with pytest.raises(ValueError, match="不属于"):
        write_ballots(demo, 1, 2, 1, tmp_path / "b.docx")
    with pytest.raises(ValueError, match="份数"):
        write_ballots(demo, 1, 1, 0, tmp_path / "c.docx")
    assert not list(tmp_path.iterdir())


# ---- 推荐票 ------------------------------------------------------------------


def test_recommendation_form(sample: ElectionFile, tmp_path: Path) -> None:
    path = write_recommendation_form(sample, 3, tmp_path / "推荐票.docx")
    document = docx.Document(str(path))
    check_official_paper(document, sample.short_hash, copies=3)
    assert len(document.tables) == 3
    for table in document.tables:
        assert column(table) == ["序号", "1", "2", "3"]
        assert column(table, 1) == ["被推荐人姓名", "", "", ""]
    text = body_text(document)
    assert text.count("推荐人身份：□党员") == 3 and "□群众" in text
    assert "委员人选（职数 3 名）" in text
    assert "推荐人数不得多于职数" in text and "多于职数的，该职务推荐无效" in text


def test_recommendation_form_per_position(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "ready.gongtui")
    with ElectionFile.open(path) as election:
        election.set_recommendation_seats(OPERATOR, Position.COMMITTEE, 3)
        election.set_recommendation_seats(OPERATOR, Position.SECRETARY, 1)
    with ElectionFile.open(path, read_only=True) as election:
        written = write_recommendation_form(election, 2, tmp_path / "推荐票.docx")
        short_hash = election.short_hash
    document = docx.Document(str(written))
    check_official_paper(document, short_hash, copies=2)
    assert [len(t.rows) - 1 for t in document.tables] == [3, 1, 3, 1]
    headings = [p.text for p in document.paragraphs if "职数" in p.text and "、" in p.text]
    assert headings == ["一、委员人选（职数 3 名）", "二、书记人选（职数 1 名）"] * 2


def test_recommendation_form_needs_seats(demo: ElectionFile, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="推荐职数"):
        write_recommendation_form(demo, 1, tmp_path / "推荐票.docx")


# ---- 测评表 ------------------------------------------------------------------


def test_evaluation_form(sample: ElectionFile, tmp_path: Path) -> None:
    path = write_evaluation_form(sample, 2, tmp_path / "测评表.docx")
    document = docx.Document(str(path))
    check_official_paper(document, sample.short_hash, copies=2)
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    labels = sample.plan().evaluation.labels
    assert len(document.tables) == 2
    for table in document.tables:
        assert column(table) == ["姓名", "姓名", "张三", "李四", "王五", "赵六"]
        top = [c.text for c in table.rows[0].cells]
        assert top == ["姓名", *(d for d in DIMENSIONS for _ in labels), *["总体评价"] * 3]
        grades = [c.text for c in table.rows[1].cells][1:]
        assert grades == [*labels * len(DIMENSIONS), "满意", "基本满意", "不满意"]
        assert all(c.text == "" for row in table.rows[2:] for c in row.cells[1:])
    text = body_text(document)
    assert text.count("测评人身份：□党员") == 2 and "□群众" in text
    assert "只选一项" in text and "可以空白" in text


def test_evaluation_form_needs_candidates(demo: ElectionFile, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="测评对象"):
        write_evaluation_form(demo, 1, tmp_path / "测评表.docx")


# ---- every copy identical, no page numbers ----------------------------------------------


def test_every_ballot_copy_is_identical_without_page_numbers(
    demo: ElectionFile, tmp_path: Path
) -> None:
    path = write_ballots(demo, 1, 1, 6, tmp_path / "选票.docx")
    texts = assert_identical_copies(path, 6, demo.short_hash)
    assert "区统计局党支部委员会委员选举选票" in texts[0] and "刘建国" in texts[0]
    assert "—" not in texts[0]


def test_a_plain_ballot_over_several_pages_has_no_page_numbers(tmp_path: Path) -> None:
    from tests.reports.test_ballot_sheet import many_candidates

    election, _ = many_candidates(tmp_path / "huge.gongtui", 60, 40)
    with election:
        path = write_ballots(election, 1, None, 3, tmp_path / "选票.docx")
        assert_identical_copies(path, 3, election.short_hash)


def test_every_recommendation_and_evaluation_form_is_identical(
    sample: ElectionFile, tmp_path: Path
) -> None:
    recommendation = write_recommendation_form(sample, 5, tmp_path / "推荐票.docx")
    assert_identical_copies(recommendation, 5, sample.short_hash)
    evaluation = write_evaluation_form(sample, 4, tmp_path / "测评表.docx")
    assert_identical_copies(evaluation, 4, sample.short_hash)


def test_official_reports_keep_their_page_numbers_and_hash(
    demo: ElectionFile, tmp_path: Path
) -> None:
    for path in (
        write_minutes(demo, tmp_path / "会议记录.docx"),
        write_tally_report(demo, rounds_of(demo)[0], tmp_path / "报告单.docx"),
    ):
        document = docx.Document(str(path))
        footers = "".join(header_footer_parts(document))
        assert "PAGE" in footers and demo.short_hash in footers
