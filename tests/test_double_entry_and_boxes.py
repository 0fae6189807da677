"""双人录入核对 and 分箱计票 through the election file and the station (issue #10)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.counting import count_round
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.reports.workbook import write_workbook
from gongtui_desktop.services.batches import import_batch, read_batch, write_batch
from gongtui_desktop.services.station import CountingStation
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import verify_file

NAMES = ("甲一", "乙二", "丙三", "丁四")


def election_with_round(
    path: Path, double_entry: bool = False, present: int = 30
) -> tuple[ElectionFile, int]:
    election = ElectionFile.create(path, title="分箱", organization="党委", operator="甲")
    contest = election.add_contest("甲", Position.COMMITTEE, 3, [(None, n) for n in NAMES])
    round_id = election.open_round("甲", contest, present_voters=present, double_entry=double_entry)
    return election, round_id


def papers(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("OOX-") for _ in NAMES[:3]) + "-" for _ in range(count)]


def test_two_operators_slips_are_found_and_settled(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    truth = papers(12, 1)
    station = CountingStation(election, "第一操作员")
    station.select_round(round_id)
    for text in truth:
        station.enter(parse_shorthand(text, 4))
    # The second operator keys the same stack with two slips (papers 4 and 9).
    slips = {3: "OOOO", 8: "----"}
    station.operator, station.entry_pass = "第二操作员", 2
    for index, text in enumerate(truth):
        station.enter(parse_shorthand(slips.get(index, text), 4))
    check = station.double_entry()
    assert check is not None and [m[0] for m in check.mismatches] == [4, 9] and not check.pending
    assert len(station.counted) == 10  # the live count only has what both agree on
    election.set_papers_collected("甲", round_id, 12)
    with pytest.raises(ElectionFileError, match="2 张不一致"):
        election.close_round("甲", round_id)
    station.operator = "监票人"
    for entry_no in (4, 9):
        station.settle(entry_no, parse_shorthand(truth[entry_no - 1], 4))
    assert station.double_entry().unsettled == 0  # type: ignore[union-attr]
    result = election.close_round("甲", round_id)
    spec = election.round(round_id).spec
    assert result == count_round(spec, [parse_shorthand(t, 4) for t in truth])
    actions = [e.action for e in election.audit_entries()]
    assert "录入第 4 张选票（第 2 遍）" in actions and "核定第 4 张选票" in actions
    election.close()
    assert verify_file(tmp_path / "d.gongtui").ok


def test_one_pass_only_is_pending(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    election.enter_paper("甲", round_id, parse_shorthand("OO--", 4), entry_pass=1)
    check = election.double_entry(round_id)
    assert check.pending == ((1, 1),) and check.counted == ()
    election.close()
    single, single_round = election_with_round(tmp_path / "s.gongtui")
    with pytest.raises(ElectionFileError, match="只有一遍"):
        single.enter_paper("甲", single_round, parse_shorthand("OO--", 4), entry_pass=2)
    single.close()


def stations(tmp_path: Path, boxes: list[list[str]]) -> tuple[Path, list[Path]]:
    """The main file and one batch file per box, each box counted on its own copy."""
    main, round_id = election_with_round(tmp_path / "main.gongtui", present=sum(map(len, boxes)))
    copies = []
    for number in range(len(boxes)):
        copy = tmp_path / f"box{number + 1}.gongtui"
        main.issue_box("主计票员", copy)
        copies.append(copy)
    main.close()
    batches = []
    for number, (copy, box) in enumerate(zip(copies, boxes, strict=True), start=1):
        with ElectionFile.open(copy) as station:
            station.set_papers_issued("计票员", round_id, len(box) + 1)
            station.set_papers_collected("计票员", round_id, len(box))
            for text in box:
                station.enter_paper(f"{number}号计票员", round_id, parse_shorthand(text, 4))
            batches.append(write_batch(station, round_id, tmp_path / f"第{number}票箱.gtbatch"))
    return tmp_path / "main.gongtui", batches


def test_three_boxes_in_any_order_give_the_same_totals(tmp_path: Path) -> None:
    boxes = [papers(7, 11), papers(9, 12), papers(5, 13)]
    main, batches = stations(tmp_path, boxes)
    with ElectionFile.open(main) as election:
        round_id = election.rounds(election.contests()[0].id)[0].id
        for path in reversed(batches):
            assert "已导入" in import_batch(election, "主计票员", path)
        merged = election.count(round_id)
        assert [b[0] for b in election.batches(round_id)] == ["第1票箱", "第2票箱", "第3票箱"]
        assert [b[3] for b in election.batches(round_id)] == [7, 9, 5]
        # Importing the same batch again changes nothing.
        length = election.audit_length
        assert "已经导入过" in import_batch(election, "主计票员", batches[0])
        assert election.audit_length == length
    single, single_round = election_with_round(tmp_path / "one.gongtui", present=21)
    for text in [t for box in boxes for t in box]:
        single.enter_paper("甲", single_round, parse_shorthand(text, 4))
    expected = single.count(single_round)
    assert [(p.name, p.approvals, p.against, p.abstain) for p in merged.votes] == [
        (p.name, p.approvals, p.against, p.abstain) for p in expected.votes
    ]
    assert merged.valid_papers == expected.valid_papers and merged.elected == expected.elected
    single.close()
    assert verify_file(main).ok


def test_tampered_duplicate_and_foreign_batches_are_refused(tmp_path: Path) -> None:
    main, batches = stations(tmp_path, [papers(4, 21), papers(4, 22)])
    tampered = tmp_path / "tampered.gtbatch"
    document = json.loads(batches[0].read_text("utf-8"))
    document["content"]["papers"][0]["marks"] = "OOO-"
    tampered.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with pytest.raises(ElectionFileError, match="被改动过"):
        read_batch(tampered)
    # A second, different batch for the same box.
    other = tmp_path / "again.gtbatch"
    shutil.copyfile(batches[1], other)
    document = json.loads(other.read_text("utf-8"))
    first = json.loads(batches[0].read_text("utf-8"))["content"]
    for key in ("box", "box_id", "box_start"):
        document["content"][key] = first[key]
    from gongtui_desktop.services.batches import digest_of

    document["sha256"] = digest_of(document["content"])
    other.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    foreign_file, _ = election_with_round(tmp_path / "foreign.gongtui")
    foreign_file.close()
    with ElectionFile.open(main) as election:
        import_batch(election, "主计票员", batches[0])
        before = election.audit_length
        with pytest.raises(ElectionFileError, match="另一份不同的计票结果"):
            import_batch(election, "主计票员", other)
        assert election.audit_length == before
    with (
        ElectionFile.open(tmp_path / "foreign.gongtui") as election,
        pytest.raises(ElectionFileError, match="另一场选举"),
    ):
        import_batch(election, "甲", batches[0])


def test_documents_show_each_box_and_the_total(tmp_path: Path) -> None:
    import docx

    from gongtui_desktop.reports import documents

    main, batches = stations(tmp_path, [papers(3, 31), papers(4, 32)])
    with ElectionFile.open(main) as election:
        for path in batches:
            import_batch(election, "主计票员", path)
        facts = documents.rounds_of(election)[0]
        path = documents.write_tally_report(election, facts, tmp_path / "t.docx")
    rows = [[c.text for c in r.cells] for t in docx.Document(str(path)).tables for r in t.rows]
    assert ["第1票箱", rows[1][1], "4", "3", "3", "相符"] == rows[1]
    assert rows[3] == ["合计", "", "9", "7", "7", ""]


def test_undo_frees_the_number_so_the_passes_still_pair(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    station = CountingStation(election, "第一操作员")
    station.select_round(round_id)
    station.enter(parse_shorthand("OOO-", 4))
    station.enter(parse_shorthand("XXX-", 4))  # a slip, undone and keyed again
    station.undo_last()
    assert station.enter(parse_shorthand("O---", 4)).paper.entry_no == 2  # type: ignore[union-attr]
    station.operator, station.entry_pass = "第二操作员", 2
    station.enter(parse_shorthand("OOO-", 4))
    station.enter(parse_shorthand("O---", 4))
    check = station.double_entry()
    assert check is not None and not check.pending and not check.mismatches
    election.set_papers_collected("甲", round_id, 2)
    election.close_round("甲", round_id)  # the round can be closed
    election.close()
    single, single_round = election_with_round(tmp_path / "s.gongtui")
    station = CountingStation(single, "甲")
    station.select_round(single_round)
    for text in ("OOO-", "XXX-"):
        station.enter(parse_shorthand(text, 4))
    station.undo_last()
    station.enter(parse_shorthand("O---", 4))
    assert [p.entry_no for p in station.counted] == [1, 2]
    assert station.find(2).paper == parse_shorthand("O---", 4)
    single.close()


def test_a_double_entry_round_is_not_corrected_in_place(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    station = CountingStation(election, "第一操作员")
    station.select_round(round_id)
    for entry_pass in (1, 2):
        station.entry_pass = entry_pass
        for text in ("OOO-", "O---"):
            station.enter(parse_shorthand(text, 4))
    paper_id = station.counted[0].id
    with pytest.raises(ElectionFileError, match="不能直接更正"):
        station.correct(1, parse_shorthand("XXX-", 4))
    with pytest.raises(ElectionFileError, match="不能直接更正"):
        election.correct_paper("甲", paper_id, parse_shorthand("XXX-", 4))
    assert station.result() == election.count(round_id)
    election.close()


def test_withdrawing_an_entry_drops_its_settlement(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    station = CountingStation(election, "第一操作员")
    station.select_round(round_id)
    station.enter(parse_shorthand("OOO-", 4))
    station.entry_pass = 2
    station.enter(parse_shorthand("XXX-", 4))
    with pytest.raises(ElectionFileError, match="还没有两遍都录入"):
        station.settle(2, parse_shorthand("OOO-", 4))
    station.settle(1, parse_shorthand("OOO-", 4))
    assert len(station.counted) == 1
    # Operator 2 finds their slip, undoes it and keys the paper again: the pair is compared
    # afresh, not hidden behind the earlier settlement.
    station.undo_last()
    assert station.counted == [] and station.double_entry().pending == ((1, 1),)  # type: ignore[union-attr]
    station.enter(parse_shorthand("OO--", 4))
    check = station.double_entry()
    assert check is not None and [m[0] for m in check.mismatches] == [1] and not check.counted
    election.close()


def test_box_papers_are_changed_only_on_their_own_station(tmp_path: Path) -> None:
    main, batches = stations(tmp_path, [papers(3, 41)])
    with ElectionFile.open(main) as election:
        round_id = election.rounds(election.contests()[0].id)[0].id
        station = CountingStation(election, "主计票员")
        station.select_round(round_id)
        for text in ("XXX-", "XX--"):
            station.enter(parse_shorthand(text, 4))
        import_batch(election, "主计票员", batches[0])
        station.select_round(round_id)
        undone = station.undo_last().paper
        assert undone is not None and undone.box == "" and undone.entry_no == 2
        corrected = station.correct(1, parse_shorthand("----", 4)).paper
        assert corrected is not None and corrected.box == ""
        with pytest.raises(ElectionFileError, match="本机本轮没有第 2 张"):
            station.find(2)
        box_paper = next(p for p in station.counted if p.box)
        with pytest.raises(ElectionFileError, match="票箱“第1票箱”导入的"):
            election.withdraw_paper("主计票员", box_paper.id)
        with pytest.raises(ElectionFileError, match="票箱“第1票箱”导入的"):
            election.correct_paper("主计票员", box_paper.id, parse_shorthand("----", 4))
        assert sorted(p.entry_no for p in election.papers(round_id) if p.box) == [1, 2, 3]
        assert station.enter(parse_shorthand("O---", 4)).paper.entry_no == 2  # type: ignore[union-attr]
        assert station.result() == election.count(round_id)


def test_write_in_links_travel_with_the_box(tmp_path: Path) -> None:
    from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn

    main, round_id = election_with_round(tmp_path / "main.gongtui", present=3)
    # Two members share a name: the box station linked the write-in to the first one.
    first, _ = main.add_people(
        "甲", [{"name": "王芳", "status": "full"}, {"name": "王芳", "status": "full"}], "导入"
    )
    main.issue_box("甲", tmp_path / "box.gongtui", "一箱")
    main.close()
    paper = BallotPaper((Mark.FOR, Mark.FOR, Mark.NONE, Mark.NONE), (WriteIn("王芳", True),))
    with ElectionFile.open(tmp_path / "box.gongtui") as box:
        for _ in range(3):
            box.enter_paper("箱", round_id, paper, [first])
        box.set_papers_collected("箱", round_id, 3)
        assert "王芳" in box.count(round_id).elected
        batch = write_batch(box, round_id, tmp_path / "1.gtbatch")
    with ElectionFile.open(tmp_path / "main.gongtui") as election:
        import_batch(election, "甲", batch)
        assert election.not_electable(round_id) == frozenset()
        assert "王芳" in election.count(round_id).elected
        assert {p.write_in_people for p in election.papers(round_id)} == {(first,)}


def test_a_settled_write_in_keeps_its_roster_link(tmp_path: Path) -> None:
    from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn

    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    first, _ = election.add_people(
        "甲", [{"name": "王芳", "status": "full"}, {"name": "王芳", "status": "full"}], "导入"
    )
    station = CountingStation(election, "第一操作员")
    station.select_round(round_id)
    station.enter(parse_shorthand("OOO-", 4))
    station.entry_pass = 2
    station.enter(parse_shorthand("XXX-", 4))
    paper = BallotPaper((Mark.FOR, Mark.FOR, Mark.NONE, Mark.NONE), (WriteIn("王芳", True),))
    station.settle(1, paper, [first])
    assert station.counted[0].write_in_people == (first,)
    assert election.not_electable(round_id) == frozenset()
    election.close()


def test_a_box_of_another_kind_of_round_is_refused(tmp_path: Path) -> None:
    from gongtui_desktop.services.batches import digest_of

    main, batches = stations(tmp_path, [papers(2, 51)])
    document = json.loads(batches[0].read_text("utf-8"))
    document["content"]["kind"] = "tie_break"  # the box copy held a different round 1
    document["sha256"] = digest_of(document["content"])
    batches[0].write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with ElectionFile.open(main) as election:
        with pytest.raises(ElectionFileError, match="轮次类别不同"):
            import_batch(election, "主计票员", batches[0])
        assert election.batches(election.rounds(election.contests()[0].id)[0].id) == []


def test_the_workbook_says_which_pass_or_settlement_each_row_is(tmp_path: Path) -> None:
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    with election:
        station = CountingStation(election, "甲")
        station.select_round(round_id)
        for text in ("OO--", "O---"):
            station.enter(parse_shorthand(text, 4))
        station.entry_pass = 2
        for text in ("OO--", "-O--"):
            station.enter(parse_shorthand(text, 4))
        station.settle(2, parse_shorthand("O---", 4))
        book = openpyxl.load_workbook(write_workbook(election, tmp_path / "表.xlsx"))
    sheet = book["项目1-第1轮-逐张"]
    headers = {sheet.cell(row=3, column=c).value: c for c in range(1, sheet.max_column + 1)}
    sources = [sheet.cell(row=r, column=headers["来源"]).value for r in range(4, 9)]
    assert sorted(sources) == sorted(
        ["双人录入第 1 遍"] * 2 + ["双人录入第 2 遍"] * 2 + ["监票人核定（双人录入不一致）"]
    )


def test_the_live_count_follows_every_step_of_double_entry(tmp_path: Path) -> None:
    """The station pairs incrementally and adds only the difference to its tally: after every
    entry, undo and settlement, in any order, it shows exactly what the file counts."""
    election, round_id = election_with_round(tmp_path / "d.gongtui", double_entry=True)
    rng = random.Random(11)
    with election:
        station = CountingStation(election, "甲")
        station.select_round(round_id)
        other = CountingStation(election, "乙")  # a second window on the same file
        other.select_round(round_id)
        for _step in range(120):
            action = rng.random()
            station.entry_pass = rng.choice((1, 2))
            try:
                if action < 0.75:
                    text = rng.choice(("OO--", "O-O-", "-OOX", "----", "OOOO"))
                    station.enter(parse_shorthand(text, 4))
                elif action < 0.85:
                    station.undo_last()
                else:
                    check = station.double_entry()
                    assert check is not None
                    if check.mismatches:
                        entry_no = check.mismatches[0][0]
                        station.settle(entry_no, parse_shorthand("O---", 4))
                    elif rng.random() < 0.5:
                        other.entry_pass = 1
                        other.enter(parse_shorthand("-O--", 4))  # written past the cache
            except ElectionFileError:
                pass
            fresh = election.tally(round_id, election.papers(round_id)).result(
                election.not_electable(round_id)
            )
            assert station.result() == fresh
            assert [p.id for p in station.counted] == [p.id for p in election.papers(round_id)]
            assert station.double_entry() == election.double_entry(round_id)


def reexported(tmp_path: Path, box_copy: Path, name: str, round_id: int) -> Path:
    """The same box copy carried to another laptop (a file copy) and exported again there:
    the station text differs, so the batch differs, but the box is the same."""
    again = tmp_path / f"{name}.gongtui"
    shutil.copyfile(box_copy, again)
    with ElectionFile.open(again) as station:
        return write_batch(station, round_id, tmp_path / f"{name}.gtbatch")


def test_a_box_copy_knows_its_box_and_the_main_station_records_it(tmp_path: Path) -> None:
    main, _ = election_with_round(tmp_path / "main.gongtui")
    first = main.issue_box("主计票员", tmp_path / "a.gongtui")
    second = main.issue_box("主计票员", tmp_path / "b.gongtui", "东 区 票 箱")
    assert (first.number, first.name, second.number, second.name) == (1, "第1票箱", 2, "东区票箱")
    assert first.id != second.id and len(first.id) == 32
    with pytest.raises(ElectionFileError, match="已经复制过名为“第1票箱”"):
        main.issue_box("主计票员", tmp_path / "c.gongtui", "第1票箱")
    assert not (tmp_path / "c.gongtui").exists()
    actions = [e.action for e in main.audit_entries()]
    assert "为第1票箱复制选举文件 a.gongtui" in actions
    main.close()
    with ElectionFile.open(tmp_path / "main.gongtui", read_only=True) as reopened:
        assert reopened.issued_boxes() == [first, second]
        assert reopened.box_identity() is None
    with ElectionFile.open(tmp_path / "b.gongtui") as copy:
        identity = copy.box_identity()
        assert identity is not None and (identity.box_id, identity.name) == (second.id, "东区票箱")
        assert copy.chain_hash == second.start_hash  # nothing written in the copy since
        with pytest.raises(ElectionFileError, match="只能由主计票机复制"):
            copy.issue_box("箱", tmp_path / "d.gongtui")
    for path in ("main.gongtui", "a.gongtui", "b.gongtui"):
        assert verify_file(tmp_path / path).ok


def test_the_same_box_under_two_names_counts_once(tmp_path: Path) -> None:
    boxes = [papers(4, 61), papers(3, 62)]
    main, batches = stations(tmp_path, boxes)
    round_id = 1
    # 第2票箱 sent twice: once as exported, once re-exported from a copy of its file and
    # renamed 第二票箱 on the stick.
    second = reexported(tmp_path, tmp_path / "box2.gongtui", "第二票箱", round_id)
    with ElectionFile.open(main) as election:
        for path in batches:
            import_batch(election, "主计票员", path)
        before = election.audit_length
        with pytest.raises(ElectionFileError, match="第2票箱已经导入过另一份不同的计票结果"):
            import_batch(election, "主计票员", second)
        assert election.audit_length == before
        assert len(election.papers(round_id)) == 7
        assert election.round(round_id).papers_collected == 7  # summed from the boxes
        election.close_round("主计票员", round_id)
        assert election.count(round_id).papers_collected == 7
    assert verify_file(main).ok


def test_only_boxes_the_main_station_issued_are_imported(tmp_path: Path) -> None:
    from gongtui_desktop.services.batches import digest_of

    main, batches = stations(tmp_path, [papers(2, 71)])
    # A plain copy of the main file (not issued as a box) cannot hand over a box.
    shutil.copyfile(main, tmp_path / "plain.gongtui")
    with ElectionFile.open(tmp_path / "plain.gongtui") as plain:
        plain.set_papers_collected("甲", 1, 0)
        with pytest.raises(ElectionFileError, match="不是主计票机为票箱复制的文件"):
            write_batch(plain, 1, tmp_path / "plain.gtbatch")
    # A box copy issued by another copy of the main file is unknown here.
    shutil.copyfile(main, tmp_path / "other-main.gongtui")
    with ElectionFile.open(tmp_path / "other-main.gongtui") as other:
        other.issue_box("甲", tmp_path / "stray.gongtui")
    with ElectionFile.open(tmp_path / "stray.gongtui") as stray:
        stray.set_papers_collected("甲", 1, 0)
        stray_batch = write_batch(stray, 1, tmp_path / "stray.gtbatch")
    # A batch claiming box 1 with another starting hash is not from that copy.
    forged = tmp_path / "forged.gtbatch"
    document = json.loads(batches[0].read_text("utf-8"))
    document["content"]["box_start"] = "0" * 64
    document["sha256"] = digest_of(document["content"])
    forged.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with ElectionFile.open(main) as election:
        before = election.audit_length
        with pytest.raises(ElectionFileError, match="本机没有复制过的票箱文件"):
            import_batch(election, "主计票员", stray_batch)
        with pytest.raises(ElectionFileError, match="起始校验码与本机复制第1票箱时登记的不符"):
            import_batch(election, "主计票员", forged)
        assert election.audit_length == before
    # A box station does not take other boxes in.
    with (
        ElectionFile.open(tmp_path / "box1.gongtui") as box,
        pytest.raises(ElectionFileError, match="只能导入主计票机"),
    ):
        import_batch(box, "甲", batches[0])


def test_an_old_batch_without_a_box_id_is_refused(tmp_path: Path) -> None:
    from gongtui_desktop.services.batches import digest_of

    main, batches = stations(tmp_path, [papers(2, 81)])
    document = json.loads(batches[0].read_text("utf-8"))
    content = document["content"]
    for key in ("box_id", "box_start", "box_hash"):
        content.pop(key)
    content["format"] = "gongtui-batch-1"
    document["sha256"] = digest_of(content)
    old = tmp_path / "old.gtbatch"
    old.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with (
        ElectionFile.open(main) as election,
        pytest.raises(ElectionFileError, match="旧版程序导出的，没有票箱编号"),
    ):
        import_batch(election, "主计票员", old)


def test_a_corrected_box_replaces_its_import_once_a_scrutineer_confirms(tmp_path: Path) -> None:
    from gongtui_desktop.store.boxes import BatchReplacement

    main, batches = stations(tmp_path, [["OOO-", "XXX-", "O---"], ["-OO-"]])
    round_id = 1
    with ElectionFile.open(main) as election:
        for path in batches:
            import_batch(election, "主计票员", path)
    # The box station finds paper 2 keyed wrong and collected one paper more.
    with ElectionFile.open(tmp_path / "box1.gongtui") as box:
        wrong = next(p for p in box.papers(round_id) if p.entry_no == 2)
        box.correct_paper("计票员", wrong.id, parse_shorthand("OO--", 4))
        box.set_papers_collected("计票员", round_id, 4)
        box.enter_paper("计票员", round_id, parse_shorthand("O-O-", 4))
        corrected = write_batch(box, round_id, tmp_path / "第1票箱-更正.gtbatch")
    with ElectionFile.open(main) as election:
        before = election.audit_length
        with pytest.raises(BatchReplacement) as asked:
            import_batch(election, "主计票员", corrected)
        assert election.audit_length == before
        old, new = asked.value.old, asked.value.new
        assert (old.collected, old.papers, new.collected, new.papers) == (3, 3, 4, 4)
        assert dict(old.approvals)["乙二"] == 1 and dict(new.approvals)["乙二"] == 2
        assert "已导入：发出" in str(asked.value) and "这一份：" in str(asked.value)
        message = import_batch(election, "主计票员", corrected, replace_confirmed_by="王监票")
        assert message.startswith(
            "已替换票箱“第1票箱”的导入：现为 4 张选票（监票人 王监票 确认），票箱校验码 "
        )
        assert message.endswith("（请与该票箱签字的计票结果核对）")
    with ElectionFile.open(main) as election:
        counted = election.papers(round_id)
        assert [p.paper for p in counted if p.box == "第1票箱"] == [
            parse_shorthand(t, 4) for t in ("OOO-", "OO--", "O---", "O-O-")
        ]
        assert len(counted) == 5 and election.round(round_id).papers_collected == 5
        assert [b.papers for b in election.box_imports(round_id)] == [4, 1]
        entry = election.audit_entries()[-1]
        assert entry.action == "替换第1票箱的导入（原 3 张，现 4 张），监票人 王监票 确认"
        election.close_round("主计票员", round_id)
    assert verify_file(main).ok


def test_a_wrong_import_is_removed_and_the_round_can_close(tmp_path: Path) -> None:
    main, batches = stations(tmp_path, [papers(3, 91), papers(2, 92)])
    round_id = 1
    with ElectionFile.open(main) as election:
        for path in batches:
            import_batch(election, "主计票员", path)
        election.set_papers_collected("主计票员", round_id, 4)  # the room counted 4, not 5
        with pytest.raises(ElectionFileError, match="两者不等"):
            election.close_round("主计票员", round_id)
        with pytest.raises(ElectionFileError, match="须由监票人确认"):
            election.remove_box_import("主计票员", round_id, "第2票箱", " ", "导错了")
        assert election.remove_box_import("主计票员", round_id, "第2票箱", "王监票", "导错了") == 2
        assert [b.name for b in election.box_imports(round_id)] == ["第1票箱"]
        assert election.round(round_id).papers_collected == 2
        assert len(election.papers(round_id)) == 3
        assert "移除第2票箱的导入（2 张），监票人 王监票 确认：导错了" in [
            e.action for e in election.audit_entries()
        ]
        # The box is imported again later, as it came.
        assert "已导入" in import_batch(election, "主计票员", batches[1])
        assert election.round(round_id).papers_collected == 4
        election.set_papers_collected("主计票员", round_id, 5)
        election.close_round("主计票员", round_id)
    assert verify_file(main).ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(papers_collected=1), "票箱收回 1 张选票，文件里却有 3 张选票"),
        (lambda c: c["papers"][1].pop("marks"), "第 2 张选票的标记应为文字，文件中是 None"),
        (lambda c: c["papers"][1].update(marks="OO-"), "第 2 张选票有 3 个标记，本轮候选人有 4 名"),
        (
            lambda c: c["papers"][0].update(marks="OOV-"),
            "第 1 张选票的标记 'OOV-' 中有无法识别的符号",
        ),
        (lambda c: c["papers"][2].update(entry_no="三"), "第 3 张选票的序号应为不小于 1 的整数"),
        (lambda c: c["papers"][2].update(entry_no=1), "序号 1 在文件中出现了两次"),
        (
            lambda c: c["papers"][0].update(write_ins=[["  ", True]]),
            "第 1 张选票：另选他人的姓名不能为空",
        ),
        (
            lambda c: c["papers"][0].update(write_ins=[["王芳"]]),
            "第 1 张选票的另选他人 ['王芳'] 不完整",
        ),
        (lambda c: c["papers"][0].update(void_reason=" "), "第 1 张选票：宣布作废须写明理由"),
        (
            lambda c: c["papers"][0].update(write_in_people=[5]),
            "第 1 张选票的另选人与名册的对应不完整",
        ),
        (lambda c: c.update(papers_issued="九"), "票箱的发出选票数应为不小于 0 的整数"),
        (lambda c: c["papers"].__setitem__(0, "OOO-"), "第 1 张选票的内容不完整"),
    ],
)
def test_a_box_with_impossible_contents_is_refused_before_anything_is_written(
    tmp_path: Path, change, message: str
) -> None:  # type: ignore[no-untyped-def]
    from gongtui_desktop.services.batches import digest_of

    main, batches = stations(tmp_path, [["OOO-", "XX--", "O---"]])
    document = json.loads(batches[0].read_text("utf-8"))
    change(document["content"])
    document["sha256"] = digest_of(document["content"])  # an edit with a valid checksum
    batches[0].write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with ElectionFile.open(main) as election:
        before = election.audit_length
        with pytest.raises(ElectionFileError) as refused:
            import_batch(election, "主计票员", batches[0])
        assert str(refused.value).startswith("第1票箱的计票结果有误，没有导入：")
        assert message in str(refused.value)
        assert election.audit_length == before and election.papers(1) == []
    assert verify_file(main).ok


def test_papers_already_in_the_file_when_a_box_was_copied_do_not_come_back(
    tmp_path: Path,
) -> None:
    main, round_id = election_with_round(tmp_path / "main.gongtui")
    for text in ("OOO-", "X---"):  # the main station's own box, keyed before copying
        main.enter_paper("主计票员", round_id, parse_shorthand(text, 4))
    main.issue_box("主计票员", tmp_path / "box.gongtui")
    main.close()
    with ElectionFile.open(tmp_path / "box.gongtui") as box:
        box.set_papers_collected("计票员", round_id, 3)
        for text in ("-OO-", "--O-", "O---"):
            box.enter_paper("计票员", round_id, parse_shorthand(text, 4))
        batch = write_batch(box, round_id, tmp_path / "第1票箱.gtbatch")
    assert len(read_batch(batch)[0]["papers"]) == 3  # type: ignore[arg-type]
    with ElectionFile.open(tmp_path / "main.gongtui") as election:
        import_batch(election, "主计票员", batch)
        assert len(election.papers(round_id)) == 5
