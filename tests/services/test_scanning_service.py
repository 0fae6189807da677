"""扫描计票 end to end through the service (issue #11): scanned files of a real election file
are read, counted or queued with their reasons, decided, closed and verified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pytest

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn, parse_shorthand
from gongtui_desktop.domain.counting import RoundTally
from gongtui_desktop.reports.documents import rounds_of, scan_line, write_tally_report
from gongtui_desktop.reports.workbook import write_workbook
from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import SheetCode, ballot_layout
from gongtui_desktop.scanning.synthetic import marked_page, pdf_from_jpegs
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.scanning import ScanCounting, scan_files
from gongtui_desktop.services.station import CountingStation
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.scans import ScanStatus
from gongtui_desktop.store.verify import verify_file
from tests.reports.test_ballot_sheet import many_candidates
from tests.test_double_entry_and_boxes import election_with_round

CANDIDATES = ("刘建国", "陈晓红", "项上桢", "郭卫民")
NO_WRITE_INS = (("", ""),) * 3
# 18 papers collected in the demo's first round (3 seats).
CLEAR = (
    "OO-X", "OOO-", "O-OX", "-OO-", "XXOO", "OO--", "O--O", "----", "OXOX",
    "-OOO", "OO-X", "O-O-", "XOOO", "OOX-",
)  # fmt: skip


@pytest.fixture
def counting(tmp_path: Path) -> Iterator[ScanCounting]:
    with ElectionFile.open(write_demo(tmp_path / "demo.gongtui")) as election:
        station = CountingStation(election, "李计票")
        station.select_round(election.rounds(1)[0].id)
        yield ScanCounting(station)


def save(folder: Path, name: str, image: np.ndarray) -> Path:
    folder.mkdir(exist_ok=True)
    suffix = Path(name).suffix
    data = encode(image, {".png": "PNG", ".jpg": "JPG", ".bmp": "BMP"}[suffix])
    (folder / name).write_bytes(data)
    return folder / name


def page(code: SheetCode, marks: str, write_ins=NO_WRITE_INS, seed: int = 0, turns: int = 0):  # type: ignore[no-untyped-def]
    layout = ballot_layout(CANDIDATES, 3)
    truth = ["O" if m == "O" else "X" if m == "X" else "?" if m == "?" else "" for m in marks]
    return marked_page(layout, code.text, truth, write_ins, seed=seed, quarter_turns=turns)


def test_a_whole_round_from_scans(counting: ScanCounting, tmp_path: Path) -> None:
    code = counting.expected_code()
    folder = tmp_path / "扫描"
    for number, marks in enumerate(CLEAR, start=1):
        save(
            folder, f"选票{number}.png", page(code, marks, seed=number, turns=2 * (number % 5 == 0))
        )
    save(folder, "选票15.png", page(code, "O?-X", seed=15))
    save(folder, "选票16.jpg", page(code, "-O--", (("W", "O"), ("", ""), ("", "")), seed=16))
    over = page(code, "OOOO", seed=17)
    blank = page(code, "----", seed=18, turns=1)
    pdf = [encode(image, "JPG", 95) for image in (over, blank)]
    (folder / "选票17-18.pdf").write_bytes(pdf_from_jpegs(pdf))
    files = scan_files(folder)
    assert [f.name for f in files][:3] == ["选票1.png", "选票2.png", "选票3.png"]  # 2 before 10

    summary = counting.import_files(files)
    assert (summary.pages, summary.counted, summary.pending) == (18, 15, 3)
    election = counting.election
    record = counting.station.round
    assert record is not None
    counted = [p.paper for p in election.papers(record.id)]
    assert counted[:14] == [parse_shorthand(m, 4) for m in CLEAR]  # read right, in file order
    assert all(p.scanned for p in election.papers(record.id))
    assert len(counting.station.counted) == 15  # the station shows them at once

    pending = {p.source: p for p in counting.pending()}
    assert set(pending) == {"选票15.png", "选票16.jpg", "选票17-18.pdf 第 1 页"}
    assert any(r.startswith("陈晓红：") for r in pending["选票15.png"].reasons)
    assert "另选他人第 1 格写有姓名，请录入" in pending["选票16.jpg"].reasons
    assert any("多于应选 3 名" in r for r in pending["选票17-18.pdf 第 1 页"].reasons)
    reading = pending["选票15.png"].reading
    assert reading["code"] == code.text and reading["marks"][1][0] == "uncertain"
    with pytest.raises(ElectionFileError, match="3 张扫描选票待核定"):
        counting.station.close()

    # The adjudicator starts from the proposal: certain boxes as read, doubtful ones blank.
    proposal = counting.reread(pending["选票15.png"]).proposal
    assert proposal == BallotPaper((Mark.FOR, Mark.NONE, Mark.NONE, Mark.AGAINST))
    counting.decide(pending["选票15.png"].id, parse_shorthand("OX-X", 4))
    write_in = BallotPaper(parse_shorthand("-O--", 4).marks, (WriteIn("周丽萍"),))
    counting.decide(pending["选票16.jpg"].id, write_in)
    counting.decide(pending["选票17-18.pdf 第 1 页"].id, parse_shorthand("OOOO", 4))
    assert counting.pending() == []
    result = counting.station.close()

    truth = [parse_shorthand(m, 4) for m in (*CLEAR, "----", "OX-X")]
    truth += [write_in, parse_shorthand("OOOO", 4)]
    tally = RoundTally(record.spec, election.plan().counting)
    tally.add_many(truth)
    assert result == tally.result(election.not_electable(record.id))
    assert result.invalid_papers == 1  # the over-vote, confirmed as read (R5)
    assert verify_file(election.path).ok
    decided = election.scan_page(pending["选票16.jpg"].id)
    assert decided.status is ScanStatus.COUNTED and decided.decided_by == "李计票"

    # The minutes and the tally report say how the papers were read.
    report = write_tally_report(election, rounds_of(election)[0], tmp_path / "报告单.docx")
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "本轮扫描选票 18 页，计入 18 张，其中程序识别 15 张、计票人对照图像核定 3 张" in text

    # The archive's paper-by-paper sheet says where each row came from.
    book = openpyxl.load_workbook(write_workbook(election, tmp_path / "统计表.xlsx"))
    sheet = book["项目1-第1轮-逐张"]
    headers = {sheet.cell(row=3, column=c).value: c for c in range(1, sheet.max_column + 1)}
    # Rows are sorted by content: neither the image's name (the order of the stack) nor
    # the person who decided it (the shift) is listed.
    sources = [sheet.cell(row=r, column=headers["来源"]).value for r in range(4, 23)]
    assert sorted(sources[:18]) == ["扫描"] * 15 + ["扫描，计票人对照图像核定"] * 3
    assert sources[18] is None
    cells = {str(c.value) for row in sheet.iter_rows(min_row=4) for c in row if c.value}
    assert not any(".png" in c or ".jpg" in c or ".pdf" in c or "李计票" in c for c in cells)


def test_importing_the_same_files_again_changes_nothing(
    counting: ScanCounting, tmp_path: Path
) -> None:
    code = counting.expected_code()
    files = [save(tmp_path / "s", f"{n}.png", page(code, "O---", seed=n)) for n in (1, 2)]
    assert counting.import_files(files).counted == 2
    length = counting.election.audit_length
    again = counting.import_files(files)
    assert (again.counted, again.pending, again.duplicates) == (0, 0, ("1.png", "2.png"))
    assert counting.election.audit_length == length


def test_stopping_half_way_keeps_what_was_read(counting: ScanCounting, tmp_path: Path) -> None:
    code = counting.expected_code()
    files = [save(tmp_path / "s", f"{n}.png", page(code, "-O--", seed=n)) for n in (1, 2, 3)]
    calls: list[int] = []

    def stop_after_one(done: int, total: int) -> bool:
        calls.append(done)
        return done < 1

    first = counting.import_files(files, stop_after_one)
    assert first.counted == 1 and len(counting.election.papers(1)) == 1
    rest = counting.import_files(files)
    assert (rest.counted, rest.duplicates) == (2, ("1.png",))


def test_pages_that_are_not_this_rounds(counting: ScanCounting, tmp_path: Path) -> None:
    code = counting.expected_code()
    folder = tmp_path / "s"
    other_round = SheetCode(code.election, code.contest_id, 2, code.digest)
    other_election = SheetCode("0000ABCD", code.contest_id, 1, code.digest)
    other_list = SheetCode(code.election, code.contest_id, 1, "12345678")
    save(folder, "a.png", page(other_round, "O---"))
    save(folder, "b.png", page(other_election, "O---"))
    save(folder, "c.png", page(other_list, "O---"))
    save(folder, "d.png", np.full((2339, 1654), 250, np.uint8))  # a blank sheet
    (folder / "e.png").write_bytes(b"not an image")
    summary = counting.import_files(scan_files(folder))
    assert (summary.counted, summary.pending) == (0, 4)
    assert len(summary.unreadable_files) == 1 and summary.unreadable_files[0].startswith("e.png")
    reasons = {p.source: p.reasons for p in counting.pending()}
    assert reasons["a.png"] == ("这是第 2 轮的选票，不是本轮（第 1 轮）",)
    assert reasons["b.png"] == ("这是另一次选举的选票（二维码中的选举编号不符）",)
    assert reasons["c.png"] == ("选票上的候选人名单与本轮不符（二维码中的版式校验码不同）",)
    assert reasons["d.png"] == (
        "没有找到选票二维码（不是本程序印制的机读选票，或二维码被遮挡、污损）",
    )
    first = counting.pending()[0]
    counting.reject(first.id, "第 2 轮的选票，留待第 2 轮")
    assert counting.election.scan_page(first.id).status is ScanStatus.REJECTED
    assert len(counting.pending()) == 3 and counting.election.papers(1) == []


def test_a_circled_name_is_not_taken_for_an_abstention(
    counting: ScanCounting, tmp_path: Path
) -> None:
    """A voter who circles a printed name instead of marking its box: the boxes read empty,
    but the page goes to a person rather than counting as abstentions."""
    layout = ballot_layout(CANDIDATES, 3)
    image = marked_page(
        layout, counting.expected_code().text, ["O", "", "", ""], NO_WRITE_INS, circled_names=[2]
    )
    summary = counting.import_files([save(tmp_path / "s", "1.png", image)])
    assert (summary.counted, summary.pending) == (0, 1)
    reasons = counting.pending()[0].reasons
    assert reasons == ("项上桢：姓名格内有笔迹（圈、划或涂了姓名？）",)
    assert counting.pending()[0].reading["names"][2][0] == "uncertain"


def test_a_double_entry_round_takes_no_scans(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    with election:
        station = CountingStation(election, "李计票")
        station.select_round(round_id)
        counting = ScanCounting(station)
        record = station.round
        assert record is not None
        layout = ballot_layout(record.spec.candidates, record.spec.seats)
        image = marked_page(layout, counting.expected_code().text, ["O", "", "", ""])
        files = [save(tmp_path / "s", "1.png", image)]
        with pytest.raises(ElectionFileError, match="双人录入的轮次"):
            counting.import_files(files)
        assert election.scan_pages(round_id) == []


def test_a_round_too_large_for_one_sheet_is_keyed_not_scanned(tmp_path: Path) -> None:
    election, _ = many_candidates(tmp_path / "big.gongtui", 60, 40)
    with election:
        round_id = election.open_round("王", 1, present_voters=100)
        station = CountingStation(election, "李计票")
        station.select_round(round_id)
        counting = ScanCounting(station)
        assert station.round is not None and not counting.machine_readable(station.round)
        (tmp_path / "s").mkdir()
        with pytest.raises(ElectionFileError, match="不是机读选票，请逐张键入"):
            counting.import_files([tmp_path / "s" / "1.png"])
        assert election.scan_pages(round_id) == []


def test_pages_set_aside_are_named_in_the_tally_report(
    counting: ScanCounting, tmp_path: Path
) -> None:
    code = counting.expected_code()
    other = SheetCode(code.election, code.contest_id, 2, code.digest)
    files = [
        save(tmp_path / "s", "1.png", page(code, "O---")),
        save(tmp_path / "s", "2.png", page(other, "O---")),
        save(tmp_path / "s", "3.png", page(code, "O?--")),
    ]
    counting.import_files(files)
    counting.reject(counting.pending()[0].id, "第 2 轮的选票")
    line = scan_line(counting.election, rounds_of(counting.election)[0])
    assert line == (
        "本轮扫描选票 3 页，计入 1 张，其中程序识别 1 张、计票人对照图像核定 0 张；"
        "不计入本轮 1 页（2.png：第 2 轮的选票）；尚待核定 1 页。"
        "扫描图像及每一格的识别结果保存在选举文件中。"
    )


# ---- one sheet scanned twice ------------------------------------------------------------


def rescan(code: SheetCode, marks: str, seed: int, scan_seed: int, turns: int = 0):  # type: ignore[no-untyped-def]
    """The sheet marked by ``seed``, scanned again: other position, light, noise, JPEG."""
    layout = ballot_layout(CANDIDATES, 3)
    truth = ["O" if m == "O" else "X" if m == "X" else "" for m in marks]
    return marked_page(
        layout, code.text, truth, NO_WRITE_INS, seed=seed, quarter_turns=turns, scan_seed=scan_seed
    )


def test_the_same_sheet_scanned_again_goes_to_a_person(
    counting: ScanCounting, tmp_path: Path
) -> None:
    code = counting.expected_code()
    folder = tmp_path / "第一批"
    save(folder, "a.png", page(code, "OO-X", seed=3))
    save(folder, "b.png", page(code, "O-O-", seed=4))
    save(folder, "c.jpg", rescan(code, "OO-X", seed=3, scan_seed=99, turns=2))  # a.png again
    summary = counting.import_files(scan_files(folder))
    assert (summary.pages, summary.counted, summary.pending) == (3, 2, 1)
    assert summary.duplicates == ()  # other bytes: not skipped as the same file
    assert summary.look_alike == ("c.jpg（与 a.png 几乎相同）",)
    text = "\n".join(summary.lines())
    assert "1 页的图像与已导入的页几乎相同，可能是同一张选票扫了两次" in text
    [waiting] = counting.pending()
    assert waiting.source == "c.jpg"
    assert any(r.startswith("图像与已导入的 a.png 几乎相同") for r in waiting.reasons)
    assert len(counting.election.papers(1)) == 2

    # A later import, in another session: the stored marks of the earlier pages are compared.
    path = counting.election.path
    counting.election.close()
    with ElectionFile.open(path) as election:
        station = CountingStation(election, "李计票")
        station.select_round(election.rounds(1)[0].id)
        again = ScanCounting(station)
        folder = tmp_path / "第二批"
        save(folder, "d.png", rescan(code, "O-O-", seed=4, scan_seed=7))  # b.png again
        later = again.import_files(scan_files(folder))
        assert (later.counted, later.pending) == (0, 1)
        assert later.look_alike == ("d.png（与 b.png 几乎相同）",)
        assert len(election.papers(1)) == 2


def test_voters_who_marked_alike_are_not_taken_for_one_sheet(
    counting: ScanCounting, tmp_path: Path
) -> None:
    """Six voters marking the same candidates: their hand marks differ, all six count."""
    code = counting.expected_code()
    folder = tmp_path / "扫描"
    for number in range(1, 7):
        save(folder, f"{number}.png", page(code, "OO-X", seed=20 + number))
    for number in range(7, 10):
        save(folder, f"{number}.png", page(code, "O---", seed=20 + number))
    summary = counting.import_files(scan_files(folder))
    assert (summary.counted, summary.pending, summary.look_alike) == (9, 0, ())
    assert not any("几乎相同" in line for line in summary.lines())


def test_one_hostile_file_does_not_stop_the_batch(counting: ScanCounting, tmp_path: Path) -> None:
    """A file the image libraries choke on, a header claiming billions of pixels and a
    damaged page of a multi-page TIFF are each refused in Chinese, by file and page; every
    other page of the batch is read."""
    import struct

    from gongtui_desktop.scanning.synthetic import tiff_pages

    code = counting.expected_code()
    folder = tmp_path / "扫描"
    folder.mkdir()
    bomb = bytearray(encode(np.full((64, 48), 200, np.uint8), "JPG", 80))
    struct.pack_into(">HH", bomb, bomb.index(b"\xff\xc0") + 5, 60000, 60000)
    (folder / "1-炸弹.jpg").write_bytes(bytes(bomb))
    (folder / "2-截断.png").write_bytes(encode(page(code, "O-X-", seed=40), "PNG")[:5000])
    sheets = [page(code, "O-X-", seed=41), page(code, "XO--", seed=42)]
    (folder / "3-批量.tif").write_bytes(tiff_pages([sheets[0], sheets[0], sheets[1]], damaged=[2]))
    save(folder, "4-正常.png", page(code, "-OO-", seed=43))

    summary = counting.import_files(scan_files(folder))
    assert (summary.pages, summary.counted) == (3, 3), summary
    assert len(summary.unreadable_files) == 3, summary.unreadable_files
    bomb_reason, cut_reason, tiff_reason = summary.unreadable_files
    assert "1-炸弹.jpg" in bomb_reason and "像素" in bomb_reason
    assert "2-截断.png" in cut_reason
    assert "3-批量.tif" in tiff_reason and "第 2 页" in tiff_reason
    for reason in summary.unreadable_files:
        assert not any(word in reason for word in ("error", "Error", "OpenCV", "Assertion"))
    sources = [p.source for p in counting.pages()]
    assert sources == ["3-批量.tif 第 1 页", "3-批量.tif 第 3 页", "4-正常.png"]
