"""Every saved file of an earlier version opens, migrates and verifies; a copy is kept first."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from gongtui_desktop.store.database import apply_migrations, open_connection
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration
from gongtui_desktop.store.verify import verify_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("election-v*.gongtui"))


def current_fixture() -> Path:
    return FIXTURES / f"election-v{SCHEMA_VERSION}.gongtui"


def test_a_fixture_exists_for_every_version() -> None:
    versions = sorted(int(re.findall(r"v(\d+)", p.stem)[0]) for p in fixture_files())
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_migration_chain_is_ordered() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_saved_file_opens_migrates_and_verifies(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    with ElectionFile.open(path) as election:
        assert election._connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert len(election.people()) == 10
        committee = election.contests()[0]
        assert election.contest_progress(committee.id).elected == ("张三", "李四", "王五")
    assert verify_file(path).ok


def test_migrating_keeps_a_copy_of_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.gongtui"
    shutil.copyfile(current_fixture(), path)
    extra = Migration(
        SCHEMA_VERSION + 1,
        "ALTER TABLE people ADD COLUMN education TEXT NOT NULL DEFAULT '';",
        "测试用：增加学历",
    )
    connection, migrated = open_connection(path, migrations=(*MIGRATIONS, extra))
    try:
        assert migrated is not None and migrated.from_version == SCHEMA_VERSION
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert (
            connection.execute("SELECT COUNT(*) FROM people WHERE education = ''").fetchone()[0]
            == 10
        )
        # The audit entry of the step was committed with the step itself.
        last = connection.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")
        assert last.fetchone()[0] == (
            f"文件格式由 {SCHEMA_VERSION} 升级到 {SCHEMA_VERSION + 1}：测试用：增加学历"
        )
    finally:
        connection.close()
    assert migrated.copy.parent == path.parent and migrated.copy.exists()
    copy = sqlite3.connect(migrated.copy)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    copy.close()


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.gongtui"
    shutil.copyfile(current_fixture(), path)
    broken = Migration(
        SCHEMA_VERSION + 1, "ALTER TABLE people ADD COLUMN x TEXT;\nCREATE TABLE people (a);", "坏"
    )
    connection = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(connection, SCHEMA_VERSION, (*MIGRATIONS, broken))
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [row[1] for row in connection.execute("PRAGMA table_info(people)")]
    assert "x" not in columns
    connection.close()


def test_a_main_station_with_a_box_imported_by_name_migrates_and_verifies(
    tmp_path: Path,
) -> None:
    """A file of version 2 holds a batch imported by box name only: after the migration the
    batch has no box id, the file still verifies, and the old batch file is refused."""
    from gongtui_desktop.services.batches import import_batch
    from gongtui_desktop.store.errors import ElectionFileError

    path = tmp_path / "boxes-v2.gongtui"
    shutil.copyfile(FIXTURES / "boxes-v2.gongtui", path)
    batch = tmp_path / "第1票箱.gtbatch"
    shutil.copyfile(FIXTURES / "boxes-v2-第1票箱.gtbatch", batch)
    with ElectionFile.open(path) as election:
        round_id = election.rounds(election.contests()[0].id)[0].id
        imports = election.box_imports(round_id)
        assert [(b.name, b.box_id, b.counted) for b in imports] == [("第1票箱", None, 3)]
        length = election.audit_length
        with pytest.raises(ElectionFileError, match="旧版程序导出的，没有票箱编号"):
            import_batch(election, "甲", batch)
        assert election.audit_length == length
    report = verify_file(path)
    assert report.ok, report.lines()


def test_a_box_named_like_one_imported_the_old_way_is_not_counted_beside_it(
    tmp_path: Path,
) -> None:
    from gongtui_desktop.domain.ballots import parse_shorthand
    from gongtui_desktop.services.batches import import_batch, write_batch
    from gongtui_desktop.store.errors import ElectionFileError

    path = tmp_path / "boxes-v2.gongtui"
    shutil.copyfile(FIXTURES / "boxes-v2.gongtui", path)
    with ElectionFile.open(path) as election:
        round_id = election.rounds(election.contests()[0].id)[0].id
        election.issue_box("甲", tmp_path / "box.gongtui", "第1票箱")
    with ElectionFile.open(tmp_path / "box.gongtui") as box:
        box.set_papers_collected("箱", round_id, 1)  # the old import's 3 stay out of it
        box.enter_paper("箱", round_id, parse_shorthand("OO--", 4))
        batch = write_batch(box, round_id, tmp_path / "新.gtbatch")
    with ElectionFile.open(path) as election:
        with pytest.raises(ElectionFileError, match="请先在“票箱一览”中移除那次导入"):
            import_batch(election, "甲", batch)
        election.remove_box_import("甲", round_id, "第1票箱", "王监票", "按新文件重新导入")
        assert "已导入" in import_batch(election, "甲", batch)
        assert [(b.name, b.box_id is not None) for b in election.box_imports(round_id)] == [
            ("第1票箱", True)
        ]
    assert verify_file(path).ok


def test_a_version_3_file_gains_the_meeting_record_and_still_verifies(tmp_path: Path) -> None:
    """Meetings written before version 4 replay with an empty recorder, delegate and times;
    filling them in afterwards is audited like any change."""
    from gongtui_desktop.store.errors import ElectionFileError

    path = tmp_path / "v3.gongtui"
    shutil.copyfile(FIXTURES / "election-v3.gongtui", path)
    with ElectionFile.open(path) as election:
        record = election.meeting_record("election")
        assert (record["recorder"], record["delegate"], record["starts_at"]) == ("", "", "")
        election.update_meeting_record(
            "甲", "election", recorder="沈佳怡", starts_at="8:30", ends_at="11:00"
        )
        with pytest.raises(ElectionFileError, match="早于开始时间"):
            election.update_meeting_record("甲", "election", ends_at="08:00")
        with pytest.raises(ElectionFileError, match="时:分"):
            election.update_meeting_record("甲", "election", starts_at="九点")
        assert election.meeting_record("election")["starts_at"] == "08:30"
    report = verify_file(path)
    assert report.ok, report.lines()
