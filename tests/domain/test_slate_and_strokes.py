"""R10 差额 and R11 姓氏笔画 order with the shipped stroke data."""

from __future__ import annotations

import pytest

from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.slate import check_slate, minimum_candidates
from gongtui_desktop.domain.strokes import StrokeTable
from gongtui_desktop.stroke_data import stroke_table, tongyong_characters


@pytest.mark.parametrize(("seats", "least"), [(1, 2), (3, 4), (5, 6), (7, 9), (10, 12), (11, 14)])
def test_committee_needs_twenty_percent_more_rounded_up(seats: int, least: int) -> None:
    assert minimum_candidates(seats, Position.COMMITTEE) == least
    assert check_slate(seats, least, Position.COMMITTEE).ok
    assert not check_slate(seats, least - 1, Position.COMMITTEE).ok


def test_secretary_equal_only_with_approval() -> None:
    assert not check_slate(1, 1, Position.SECRETARY).ok
    assert check_slate(1, 1, Position.SECRETARY, equal_approved=True).ok
    assert check_slate(2, 3, Position.DEPUTY_SECRETARY).ok
    assert check_slate(1, 1, Position.SECRETARY).explanation() == (
        "书记差额选举，至少 2 名候选人，不符合：现有 1 名"
    )


def test_table_orders_by_count_then_shapes_then_next_character() -> None:
    table = StrokeTable(
        {"王": "1121", "丁": "12", "李": "1234521", "方": "4153", "文": "4134", "一": "1"}
    )
    assert table.order(["王一", "丁一", "王", "方一", "文一", "李一"]).names == (
        "丁一",
        "王",
        "王一",
        "文一",
        "方一",
        "李一",
    )


def test_unknown_character_sorts_last_and_is_flagged() -> None:
    table = StrokeTable({"王": "1121", "丁": "12"})
    ordering = table.order(["𠀀一", "王", "丁"])
    assert ordering.names == ("丁", "王", "𠀀一")
    assert ordering.unknown_characters == frozenset({"𠀀", "一"})
    assert not ordering.complete
    assert table.describe("𠀀") == "𠀀：缺少笔画数据，排在最后"


def test_bad_data_is_refused() -> None:
    with pytest.raises(ValueError):
        StrokeTable.parse("王\t11a1\n")
    with pytest.raises(ValueError, match="第 2 行"):
        StrokeTable.parse("# comment\n王1121\n")


def test_shipped_data_knows_common_surnames() -> None:
    table = stroke_table()
    assert table.sequence("丁") == "12"
    assert table.sequence("王") == "1121"
    assert table.sequence("李") == "1234521"
    assert table.sequence("张") == "5153154"
    assert table.sequence("陈") == "5215234"
    assert table.describe("王") == "王：4 画，横横竖横"
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜欧阳司马诸葛上官"
    assert all(ch in table for ch in surnames)


def test_same_stroke_count_is_ordered_by_first_stroke_shape() -> None:
    # 王 (横 first) before 毛 (撇 first) before 方 (点 first): all four strokes.
    assert stroke_table().order(["方明", "毛明", "王明"]).names == ("王明", "毛明", "方明")


def test_shipped_data_covers_tongyong_guifan_hanzi_biao() -> None:
    characters = tongyong_characters()
    assert len(characters) == 8105 and len(set(characters)) == 8105
    missing = [ch for ch in characters if ch not in stroke_table()]
    assert missing == []


def test_separators_in_names_are_ignored() -> None:
    ordering = stroke_table().order(["买买提·艾力", "王 明", "王明"])
    assert ordering.complete
    assert ordering.names[0] in ("王 明", "王明") and ordering.names[-1] == "买买提·艾力"
