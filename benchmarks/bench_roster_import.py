"""Roster import speed: a 10,000-row .xlsx read, mapped, checked and saved into an election.

Target (issue #5, this machine): read_rows + guess_mapping + check + save ≤ 3 s, the
save's fsync included. The workbook is written beforehand and the election file created
beforehand (neither is timed); the best of a few repeats is reported, each into a new file.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from gongtui_desktop.services.roster_import import check, guess_mapping, read_rows, save
from gongtui_desktop.store.election_file import ElectionFile

ROWS = 10_000
REPEATS = 3
HEADER = (
    "序号", "姓名", "性别", "出生年月", "入党时间", "转正时间", "政治面貌", "在职/退休",
    "组织关系", "处分", "联系电话", "备注",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"


def write_roster(path: Path, seed: int = 5) -> Path:
    """A realistic roster: mixed date forms, Excel dates, statuses and blanks."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名册")
    sheet.append(HEADER)
    for number in range(1, ROWS + 1):
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        joined = birth + timedelta(days=365 * rng.randint(18, 40) + rng.randrange(365))
        joined = min(joined, date(2025, 6, 1))
        status = rng.choices(["正式党员", "预备党员", "群众"], weights=(85, 5, 10))[0]
        confirmed = joined + timedelta(days=366) if status == "正式党员" else None
        if status == "群众":
            joined = None
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        birth_cell = birth if number % 3 else f"{birth.year}.{birth.month:02d}"
        sheet.append(
            (
                number,
                f"{name}{number}",
                rng.choice("男女"),
                birth_cell,
                joined and f"{joined.year}年{joined.month}月{joined.day}日",
                confirmed,
                status,
                "退休" if birth.year < 1965 else "在职",
                "是",
                "无",
                f"13{rng.randrange(10**9):09d}",
                "" if number % 10 else "调入",
            )
        )
    workbook.save(path)
    return path


def import_into(roster: Path, target: Path) -> float:
    election = ElectionFile.create(target, title="基准", organization="支部", operator="甲")
    try:
        start = time.perf_counter()
        table = read_rows(roster)
        preview = check(table, guess_mapping(list(table.headers)))
        if not preview.ok:
            raise AssertionError(preview.problems[:3])
        ids = save(election, "甲", preview, roster.name)
        elapsed = time.perf_counter() - start
        assert len(ids) == ROWS
        return elapsed
    finally:
        election.close()


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    with tempfile.TemporaryDirectory(dir=Path.home()) as folder:
        roster = write_roster(Path(folder) / "名册.xlsx")
        best = min(import_into(roster, Path(folder) / f"导入{i}.gongtui") for i in range(REPEATS))
    return [(f"{ROWS:,}-row import: read, map, check, save", best, 3.0, "s")]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
