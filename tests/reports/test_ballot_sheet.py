"""The machine-readable parts of the printed ballot (issue #11): the frame's grid is the
reader's layout, the QR code names the election, contest, round and layout, and every copy
is identical (nothing tells one voter's paper from another's)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table

from gongtui_desktop.domain.positions import Position
from gongtui_desktop.reports.forms import write_ballots
from gongtui_desktop.scanning.imaging import decode as decode_image
from gongtui_desktop.scanning.layout import RowKind, SheetCode, ballot_layout
from gongtui_desktop.scanning.qr import decode as decode_qr
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile

STROKE_ORDER = ("刘建国", "陈晓红", "项上桢", "郭卫民")
TWIPS_PER_MM = 1440 / 25.4


def qr_texts(path: Path) -> list[str]:
    """Every picture of the document decoded as a QR code, in document order."""
    document = docx.Document(str(path))
    texts = []
    for blip in document.element.body.iter(qn("a:blip")):
        part = document.part.related_parts[blip.get(qn("r:embed"))]
        image = decode_image(part.blob)
        assert image is not None
        found = decode_qr(image)
        texts.append(found[0][0] if found else "")
    return texts


def grid(table: Table) -> tuple[list[float], list[float]]:
    """Column widths and exact row heights of a table, in millimetres."""
    columns = [
        int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in table._tbl.tblGrid.iter(qn("w:gridCol"))
    ]
    heights = []
    for row in table.rows:
        height = row._tr.trPr.find(qn("w:trHeight"))
        assert height.get(qn("w:hRule")) == "exact"
        heights.append(int(height.get(qn("w:val"))) / TWIPS_PER_MM)
    return columns, heights


def expected_heights(candidates: tuple[str, ...], seats: int) -> list[float]:
    layout = ballot_layout(candidates, seats)
    heights: list[float] = []
    for kind, height in layout.rows:
        rows = {RowKind.CANDIDATES: layout.candidate_rows, RowKind.WRITE_INS: layout.write_in_rows}
        count = rows.get(kind)
        heights += [layout.slot_row] * count if count else [height]
    return heights


def test_every_copy_carries_the_same_code_of_its_round(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "d.gongtui"), read_only=True) as election:
        path = write_ballots(election, 1, None, 3, tmp_path / "选票.docx")
        expected = ballot_layout(STROKE_ORDER, 3).code(election.election_id, 1, 1)
        texts = qr_texts(path)
        assert texts == [expected.text] * 3
        code = SheetCode.parse(texts[0])
        assert code == expected
        assert code.election == election.election_id[:8].upper()
        document = docx.Document(str(path))
        blobs = {
            document.part.related_parts[b.get(qn("r:embed"))].blob
            for b in document.element.body.iter(qn("a:blip"))
        }
        assert len(blobs) == 1  # identical copies: no serial number, no per-paper mark


def test_the_printed_grid_is_the_readers_layout(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "d.gongtui"), read_only=True) as election:
        path = write_ballots(election, 1, 1, 1, tmp_path / "选票.docx")
    table = docx.Document(str(path)).tables[0]
    columns, heights = grid(table)
    layout = ballot_layout(STROKE_ORDER, 3)
    assert columns == pytest.approx(list(layout.columns), abs=0.05)
    assert heights == pytest.approx(expected_heights(STROKE_ORDER, 3), abs=0.05)


def many_candidates(path: Path, count: int, seats: int) -> tuple[ElectionFile, tuple[str, ...]]:
    election = ElectionFile.create(
        path, title="大型支部换届选举", organization="某某党委", operator="王"
    )
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤"
    names = tuple(
        f"{surnames[i % 60]}{'建晓卫志'[i // 60]}{'国民华军'[i % 4]}" for i in range(count)
    )
    election.add_contest("王", Position.COMMITTEE, seats, [(None, name) for name in names])
    return election, names


@pytest.mark.parametrize(("count", "seats", "groups"), [(20, 7, 2), (24, 7, 3), (60, 12, 5)])
def test_many_candidates_stand_in_columns_on_one_sheet(
    tmp_path: Path, count: int, seats: int, groups: int
) -> None:
    election, names = many_candidates(tmp_path / "big.gongtui", count, seats)
    with election:
        path = write_ballots(election, 1, None, 2, tmp_path / "选票.docx")
        layout = ballot_layout(names, seats)
        assert layout.groups == groups
        document = docx.Document(str(path))
        for table in document.tables:
            header = table.rows[2]
            assert [c.text for c in header.cells].count("候选人姓名") == groups
            first_column = [row.cells[1].text for row in table.rows[3 : 3 + layout.candidate_rows]]
            assert first_column == list(names[: layout.candidate_rows])  # column by column
            columns, heights = grid(table)
            assert columns == pytest.approx(list(layout.columns), abs=0.05)
            assert heights == pytest.approx(expected_heights(names, seats), abs=0.05)
            assert sum(heights) <= 175  # leaves room for the title and notes on one A4 sheet


def test_a_contest_too_large_for_one_sheet_gets_a_plain_ballot(tmp_path: Path) -> None:
    """60 candidates for 40 seats (a party congress) cannot fit one sheet: the ballot runs
    over several pages without the machine-readable parts and says it is to be keyed in."""
    election, names = many_candidates(tmp_path / "huge.gongtui", 60, 40)
    with election:
        path = write_ballots(election, 1, None, 2, tmp_path / "选票.docx")
    assert qr_texts(path) == []
    document = docx.Document(str(path))
    assert len(document.tables) == 2
    first = [row.cells[0].text for row in document.tables[0].rows]
    assert first[0] == "候选人姓名" and first[1:61] == list(names)
    assert first[61].startswith("另选他人") and first[62:] == [""] * 40
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("不是机读选票：计票时逐张键入") == 2
