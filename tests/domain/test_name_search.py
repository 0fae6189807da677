"""Sign-in search by name or pinyin initials (issue #5: sign-in by name or pinyin initials)."""

from __future__ import annotations

import pytest

from gongtui_desktop.domain.name_search import InitialsTable
from gongtui_desktop.pinyin_data import initials_table
from gongtui_desktop.stroke_data import tongyong_characters

TABLE = InitialsTable.parse(
    "# hand-made: CHAR<TAB>INITIALS\n"
    "张\tz\n三\ts\n赵\tz\n六\tl\n李\tl\n四\ts\n"
    "单\tdcs\n曾\tcz\n国\tg\n藩\tf\n雄\tx\n信\txs\n"
    "买\tm\n提\ttd\n艾\tay\n力\tl\n欧\to\n阳\ty\n修\tx\n"
)
NAMES = ["赵六", "张三", "李四", "单雄信", "曾国藩", "买买提·艾力", "欧阳 修"]


def test_parse_reads_lines_and_skips_comments() -> None:
    assert len(TABLE) == 19
    assert "单" in TABLE
    assert "#" not in TABLE
    assert TABLE.initials("单") == "dcs"
    assert TABLE.initials("Z") == "z"
    assert TABLE.initials("鑫") == ""


@pytest.mark.parametrize("text", ["张\n", "张\tZ\n", "张\tzz\n", "张三\tz\n", "张\t\n"])
def test_parse_rejects_malformed_lines(text: str) -> None:
    with pytest.raises(ValueError):
        InitialsTable.parse(text)


def test_table_is_frozen_and_hashable() -> None:
    with pytest.raises(AttributeError):
        TABLE.entries = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        TABLE.entries["张"] = "x"  # type: ignore[index]
    copy = InitialsTable(dict(TABLE.entries))
    assert copy == TABLE
    assert hash(copy) == hash(TABLE)


@pytest.mark.parametrize("query", ["zs", "s", "z", "张", "三", "张三", "ZS", " zs ", "Zs", "ｚｓ"])
def test_matches_zhang_san(query: str) -> None:
    assert TABLE.matches("张三", query)


@pytest.mark.parametrize("query", ["zsa", "sz", "zhs", "zsan", "l", "李", "张四", "x"])
def test_does_not_match_zhang_san(query: str) -> None:
    assert not TABLE.matches("张三", query)


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_matches_everything(query: str) -> None:
    assert all(TABLE.matches(name, query) for name in NAMES)
    assert TABLE.rank(NAMES, query) == NAMES


def test_polyphonic_characters_match_every_reading() -> None:
    for query in ("d", "c", "s", "dxx", "sxx", "cxs", "dx"):
        assert TABLE.matches("单雄信", query), query
    assert not TABLE.matches("单雄信", "zxx")
    for query in ("z", "c", "zgf", "cgf"):
        assert TABLE.matches("曾国藩", query), query
    assert not TABLE.matches("曾国藩", "sgf")


def test_separators_are_skipped() -> None:
    assert TABLE.matches("买买提·艾力", "mmtal")
    assert TABLE.matches("买买提·艾力", "ta")
    assert TABLE.matches("买买提·艾力", "提艾")
    assert TABLE.matches("买买提·艾力", "提·艾")
    assert TABLE.matches("欧阳 修", "oyx")
    assert TABLE.matches("欧阳 修", "欧阳修")
    assert not TABLE.matches("欧阳 修", "o x")


def test_latin_letters_in_names_are_case_insensitive() -> None:
    assert TABLE.matches("Alice 张", "alice")
    assert TABLE.matches("Alice 张", "ez")


def test_rank_orders_exact_prefix_initials_then_others() -> None:
    names = ["李张三", "张三丰", "赵六", "张三", "三张", "张"]
    assert TABLE.rank(names, "张") == ["张", "张三丰", "张三", "李张三", "三张"]
    assert TABLE.rank(names, "张三") == ["张三", "张三丰", "李张三"]
    assert TABLE.rank(names, "zs") == ["张三丰", "张三", "李张三"]
    assert TABLE.rank(names, "z") == ["张三丰", "赵六", "张三", "张", "李张三", "三张"]


def test_rank_puts_exact_latin_name_first_and_keeps_duplicates() -> None:
    names = ["张三", "zs", "张三"]
    assert TABLE.rank(names, "ZS") == ["zs", "张三", "张三"]


def test_shipped_table_covers_tongyong_guifan() -> None:
    table = initials_table()
    characters = tongyong_characters()
    assert len(characters) == 8105
    missing = [char for char in characters if char not in table]
    assert missing == []
    assert initials_table() is table


def test_shipped_table_knows_common_surnames() -> None:
    table = initials_table()
    assert table.initials("张") == "z"
    assert table.initials("单")[0] == "d"
    assert set("dcs") <= set(table.initials("单"))
    assert set(table.initials("曾")) == {"c", "z"}
    assert table.initials("曾")[0] == "c"
    assert {"x", "j"} <= set(table.initials("解"))
    assert {"c", "z"} <= set(table.initials("查"))
    assert table.matches("张三", "zs")
    assert table.rank(["赵六", "李四", "张三"], "z") == ["赵六", "张三"]
