"""双人录入核对 and 分箱计票 through the election file and the station (issue #10)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.counting import count_round
from gongtui_desktop.domain.positions import Position
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
        main.copy_to(copy)
        copies.append(copy)
    main.close()
    batches = []
    for number, (copy, box) in enumerate(zip(copies, boxes, strict=True), start=1):
        with ElectionFile.open(copy) as station:
            station.set_papers_issued("计票员", round_id, len(box) + 1)
            station.set_papers_collected("计票员", round_id, len(box))
            for text in box:
                station.enter_paper(f"{number}号计票员", round_id, parse_shorthand(text, 4))
            batches.append(
                write_batch(
                    station, round_id, f"第{number}票箱", tmp_path / f"第{number}票箱.gtbatch"
                )
            )
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
    document["content"]["box"] = "第1票箱"
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
