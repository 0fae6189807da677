"""Scanned pages in the election file (issue #11): kept with their image, counted at once or
held for adjudication, every decision audited, every image checked by verify."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongtui_desktop.domain.ballots import BallotPaper, WriteIn, parse_shorthand
from gongtui_desktop.services.demo import OPERATOR, write_demo
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import PaperState
from gongtui_desktop.store.scans import ScanStatus
from gongtui_desktop.store.verify import verify_file

READING = {"code": "GT1-X", "marks": [["O", 0.21, "O", ""]]}


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "demo.gongtui")


@pytest.fixture
def demo(demo_path: Path) -> Iterator[ElectionFile]:
    with ElectionFile.open(demo_path) as election:
        yield election


def paper(text: str) -> BallotPaper:
    return parse_shorthand(text, 4)


def test_a_certain_page_is_counted_with_its_image(demo: ElectionFile) -> None:
    page = demo.add_scan_page(
        OPERATOR, 1, b"image one", "image/png", "scan-001.png", READING, (), paper("OO-X")
    )
    assert page.status is ScanStatus.COUNTED and page.paper_id is not None
    counted = demo.papers(1)
    assert [p.paper for p in counted] == [paper("OO-X")] and counted[0].scanned
    assert counted[0].entry_no == 1
    assert demo.scan_image(page.image) == (b"image one", "image/png")
    assert page.image == hashlib.sha256(b"image one").hexdigest()
    assert page.reading == READING
    entry = demo.audit_entries()[-1]
    assert entry.action == "扫描选票 scan-001.png：录入第 1 张选票"
    rows = {c["table"]: c["row"] for c in json.loads(entry.changes)}
    assert set(rows) == {"papers", "scan_pages"}  # the blob is named by its hash, not copied
    assert json.loads(rows["scan_pages"]["reading"]) == READING


def test_a_page_in_doubt_waits_and_blocks_closing(demo: ElectionFile) -> None:
    for number in range(1, 18):
        demo.add_scan_page(
            OPERATOR,
            1,
            f"img {number}".encode(),
            "image/png",
            f"{number}.png",
            READING,
            (),
            paper("O---"),
        )
    doubtful = demo.add_scan_page(
        OPERATOR, 1, b"img 18", "image/png", "18.png", READING, ("郭卫民：不确定",), None
    )
    assert doubtful.status is ScanStatus.PENDING and doubtful.reasons == ("郭卫民：不确定",)
    assert demo.pending_scans(1) == 1 and len(demo.papers(1)) == 17
    with pytest.raises(ElectionFileError, match="1 张扫描选票待核定"):
        demo.close_round(OPERATOR, 1)
    decided = demo.decide_scan_page(
        "张监票", doubtful.id, BallotPaper(paper("---O").marks, (WriteIn("周丽萍"),)), note="看原票"
    )
    assert decided.entry_no == 18 and decided.scanned
    page = demo.scan_page(doubtful.id)
    assert page.status is ScanStatus.COUNTED and page.paper_id == decided.id
    assert (page.decision, page.decided_by) == ("看原票", "张监票")
    with pytest.raises(ElectionFileError, match="已经计入，要改请更正"):
        demo.decide_scan_page(OPERATOR, doubtful.id, paper("----"))
    demo.close_round(OPERATOR, 1)  # 18 entered = 18 collected, nothing pending


def test_a_page_set_aside_keeps_its_image_and_reason(demo: ElectionFile) -> None:
    page = demo.add_scan_page(
        OPERATOR, 1, b"other round", "image/jpeg", "x.jpg", READING, ("第 2 轮的选票",), None
    )
    with pytest.raises(ElectionFileError, match="理由"):
        demo.reject_scan_page(OPERATOR, page.id, "  ")
    demo.reject_scan_page(OPERATOR, page.id, "第 2 轮的选票，不属本轮")
    stored = demo.scan_page(page.id)
    assert stored.status is ScanStatus.REJECTED and stored.paper_id is None
    assert demo.scan_pages(1, ScanStatus.REJECTED) == [stored]
    assert demo.scan_image(stored.image)[0] == b"other round" and demo.papers(1) == []


def test_a_counted_page_set_aside_takes_its_paper_back(demo: ElectionFile) -> None:
    """The same sheet scanned twice (different bytes) was counted twice: the second page is
    set aside and its paper taken back in one audited step; a mistake can be undone by
    counting the page after all."""
    first = demo.add_scan_page(OPERATOR, 1, b"a", "image/png", "a.png", READING, (), paper("O---"))
    again = demo.add_scan_page(
        OPERATOR, 1, b"b", "image/jpeg", "a2.jpg", READING, (), paper("O---")
    )
    assert len(demo.papers(1)) == 2
    demo.reject_scan_page(OPERATOR, again.id, "同一张选票重复扫描")
    page = demo.scan_page(again.id)
    assert page.status is ScanStatus.REJECTED and page.paper_id == again.paper_id
    assert [p.id for p in demo.papers(1)] == [first.paper_id]
    history = {p.id: p for p in demo.paper_history(1)}
    assert history[again.paper_id].state is PaperState.WITHDRAWN  # type: ignore[index]
    assert verify_file(demo.path).ok
    with pytest.raises(ElectionFileError, match="已经不计入本轮"):
        demo.reject_scan_page(OPERATOR, again.id, "再来一次")
    # Set aside by mistake: counted after all, as a new paper.
    recounted = demo.decide_scan_page(OPERATOR, again.id, paper("O---"), note="误判，恢复计入")
    assert demo.scan_page(again.id).paper_id == recounted.id and len(demo.papers(1)) == 2
    assert verify_file(demo.path).ok


def test_correcting_a_scanned_paper_moves_the_link(demo: ElectionFile) -> None:
    page = demo.add_scan_page(OPERATOR, 1, b"c", "image/png", "c.png", READING, (), paper("O---"))
    assert page.paper_id is not None
    corrected = demo.correct_paper(OPERATOR, page.paper_id, paper("OX--"))
    assert demo.scan_page(page.id).paper_id == corrected.id and corrected.scanned
    with pytest.raises(ElectionFileError, match="扫描计入的"):
        demo.withdraw_paper(OPERATOR, corrected.id)
    assert verify_file(demo.path).ok
    demo.reject_scan_page(OPERATOR, page.id, "不是选票")
    assert demo.papers(1) == [] and verify_file(demo.path).ok


def test_the_same_image_twice_is_refused_and_nothing_changes(demo: ElectionFile) -> None:
    demo.add_scan_page(OPERATOR, 1, b"same", "image/png", "a.png", READING, (), paper("O---"))
    length = demo.audit_length
    assert demo.scanned_before(1, b"same") is not None
    with pytest.raises(ElectionFileError, match="已经导入过"):
        demo.add_scan_page(OPERATOR, 1, b"same", "image/png", "b.png", READING, (), paper("O---"))
    assert demo.audit_length == length and len(demo.papers(1)) == 1


def test_a_page_of_the_wrong_shape_is_refused(demo: ElectionFile) -> None:
    with pytest.raises(ElectionFileError, match="4 名"):
        demo.add_scan_page(
            OPERATOR, 1, b"x", "image/png", "a.png", READING, (), parse_shorthand("O-", 2)
        )
    assert demo.scan_pages(1) == []
    assert demo._connection.execute("SELECT COUNT(*) FROM scan_images").fetchone()[0] == 0


def test_scanned_papers_are_not_taken_back_by_undo(demo: ElectionFile) -> None:
    from gongtui_desktop.services.station import CountingStation

    station = CountingStation(demo, OPERATOR)
    station.select_round(1)
    demo.add_scan_page(OPERATOR, 1, b"s", "image/png", "s.png", READING, (), paper("O---"))
    station.select_round(1)
    with pytest.raises(ElectionFileError, match="还没有键入"):
        station.undo_last()
    station.enter(paper("-O--"))
    station.undo_last()
    assert [p.paper for p in demo.papers(1)] == [paper("O---")]


def tamper(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("DROP TRIGGER scan_images_never_updated")
    connection.execute("DROP TRIGGER scan_images_never_deleted")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


@pytest.fixture
def scanned_path(demo_path: Path) -> Path:
    with ElectionFile.open(demo_path) as election:
        election.add_scan_page(
            OPERATOR, 1, b"kept", "image/png", "k.png", READING, (), paper("O---")
        )
        election.add_scan_page(OPERATOR, 1, b"held", "image/png", "h.png", READING, ("?",), None)
    assert verify_file(demo_path).ok
    return demo_path


def test_verify_finds_a_changed_image(scanned_path: Path) -> None:
    digest = hashlib.sha256(b"kept").hexdigest()
    tamper(scanned_path, f"UPDATE scan_images SET data = X'00' WHERE sha256 = '{digest}'")
    report = verify_file(scanned_path)
    assert not report.ok
    assert any(f"扫描图像 {digest[:16]} 的内容被改动" in p.message for p in report.problems)
    assert report.first_problem() is not None and report.first_problem().seq is not None


def test_verify_finds_a_deleted_image(scanned_path: Path) -> None:
    digest = hashlib.sha256(b"held").hexdigest()
    tamper(
        scanned_path,
        "PRAGMA foreign_keys = OFF",
        f"DELETE FROM scan_images WHERE sha256 = '{digest}'",
    )
    report = verify_file(scanned_path)
    assert any(f"扫描图像 {digest[:16]} 已被删除" in p.message for p in report.problems)


def test_verify_finds_an_image_written_outside(scanned_path: Path) -> None:
    digest = hashlib.sha256(b"sneaked").hexdigest()
    tamper(
        scanned_path,
        f"INSERT INTO scan_images VALUES ('{digest}', 'image/png', X'{b'sneaked'.hex()}')",
    )
    report = verify_file(scanned_path)
    assert any("不在审计记录中" in p.message and digest[:16] in p.message for p in report.problems)


def test_verify_finds_a_counted_page_whose_paper_no_longer_counts(scanned_path: Path) -> None:
    tamper(
        scanned_path,
        "INSERT INTO paper_withdrawals VALUES (1, '改', '外人', '2026-11-24T20:00:00+08:00')",
    )
    messages = [p.message for p in verify_file(scanned_path).problems]
    assert "扫描选票 k.png 登记为已计入，但它对应的选票（编号 1）已不计入" in messages


def test_verify_finds_a_changed_reading(scanned_path: Path) -> None:
    tamper(scanned_path, "UPDATE scan_pages SET status = 'rejected', paper_id = NULL WHERE id = 1")
    assert not verify_file(scanned_path).ok
