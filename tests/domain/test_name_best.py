"""The best matches of typed text: one person, several, or none (sign-in and name fields)."""

from __future__ import annotations

from gongtui_desktop.domain.name_search import InitialsTable

TABLE = InitialsTable.parse("张\tz\n三\ts\n赵\tz\n六\tl\n丰\tf\n李\tl\n")


def test_best_is_the_whole_best_group_with_namesakes_twice() -> None:
    names = ["张三丰", "赵六", "张三", "李张三", "张三"]
    assert TABLE.best(names, "张三") == [2, 4]  # two people named 张三: not one person
    assert TABLE.best(names, "zsf") == [0]
    assert TABLE.best(names, "z") == [0, 1, 2, 4]
    assert TABLE.best(names, "lz") == [3]
    assert TABLE.best(names, "q") == []
    assert TABLE.best(names, "  ") == []
    assert TABLE.closeness("张三丰", "张三") == 1 and TABLE.closeness("李张三", "zs") == 3
