"""The election file: every user action is one audited transaction.

:class:`ElectionFile` is the only way the program writes an election. Each
public method that changes data runs in one ``BEGIN IMMEDIATE`` … ``COMMIT``
together with its audit entry, so after a crash either the whole action is in
the file or none of it is. Reads hand out domain values (``gongtui_desktop.domain``).
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from gongtui_desktop import safe_files
from gongtui_desktop.domain.attendance import ExclusionReason, QuorumRule
from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn, normalize_name
from gongtui_desktop.domain.contest import (
    Contest,
    ContestProgress,
    SeatReduction,
    contest_progress,
    restriction_violations,
)
from gongtui_desktop.domain.counting import RoundKind, RoundResult, RoundSpec, RoundTally
from gongtui_desktop.domain.evaluation import (
    DIMENSIONS,
    CandidateRating,
    EvaluationForm,
    EvaluationOptions,
    Overall,
    RaterGroup,
    Rating,
    ThresholdRule,
)
from gongtui_desktop.domain.nomination import ScoringMethod, Weights
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark
from gongtui_desktop.domain.people import (
    Discipline,
    MemberStatus,
    Person,
    person_name,
    person_rights,
)
from gongtui_desktop.domain.plan import NominationSettings, PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import ReviewConditions
from gongtui_desktop.domain.scrutineers import ScrutineerRole, scrutineer_refusal
from gongtui_desktop.store.audit import (
    AuditEntry,
    Transaction,
    append_entry,
    canonical,
    chain_head,
    now_text,
    read_entries,
    short_hash,
)
from gongtui_desktop.store.backup import copy_database, remove_orphan_parts, take_backup
from gongtui_desktop.store.boxes import (
    BATCH_FORMAT,
    OLD_BATCH_FORMAT,
    BatchError,
    BatchReplacement,
    BoxFigures,
    BoxIdentity,
    BoxImport,
    BoxPaper,
    IssuedBox,
    check_box_papers,
)
from gongtui_desktop.store.database import create_connection, open_connection
from gongtui_desktop.store.errors import (
    ElectionFileError,
    ReadOnlyError,
    StorageError,
    is_storage_error,
    storage_message,
)
from gongtui_desktop.store.figures import result_figures
from gongtui_desktop.store.lock import WriterLock
from gongtui_desktop.store.records import (
    BackupRecord,
    ContestRecord,
    DoubleEntry,
    PaperRecord,
    PaperState,
    PersonRecord,
    RoundRecord,
    RoundStatus,
    pair_passes,
)
from gongtui_desktop.store.scans import ScanPages

SUFFIX = ".gongtui"
STAGES = ("recommendation", "evaluation", "election")
GRADE_CODES = {Rating.EXCELLENT: "E", Rating.GOOD: "G", Rating.FAIR: "F", Rating.POOR: "P"}
CODE_GRADES = {code: rating for rating, code in GRADE_CODES.items()}

Candidate = tuple[int | None, str]


_MARKS = {mark.value: mark for mark in Mark}


@lru_cache(maxsize=4096)
def decode_marks(text: str) -> tuple[Mark, ...]:
    """Stored marks back to a paper's; a plain dict lookup per mark keeps a full load fast."""
    try:
        return tuple(map(_MARKS.__getitem__, text))
    except KeyError as error:
        raise ValueError(f"保存的选票标记无法识别：{text!r}") from error


def _fraction_text(value: Fraction) -> str:
    return str(Fraction(value))


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


# Rows of one pass keyed on this station that still count: neither withdrawn nor replaced.
_LIVE_KEYED_HERE = (
    "round_id = ? AND entry_pass = ? AND box = ''"
    " AND NOT EXISTS (SELECT 1 FROM paper_withdrawals w WHERE w.paper_id = papers.id)"
    " AND NOT EXISTS (SELECT 1 FROM papers n WHERE n.supersedes = papers.id)"
)


class ElectionFile(ScanPages):
    """An open election file (``NAME.gongtui``)."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        lock: WriterLock | None,
    ) -> None:
        self.path = path
        self._connection = connection
        self._lock = lock
        self._last: tuple[int, str] = chain_head(connection)

    # ---- opening and closing -------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        title: str,
        organization: str,
        operator: str,
        higher_organization: str = "",
        reference_date: date | None = None,
    ) -> ElectionFile:
        """A new election file with the default plan (RULES.md) and its three meetings."""
        path = Path(path)
        lock = WriterLock.acquire(path)
        try:
            connection = create_connection(path)
        except BaseException:
            lock.release()
            raise
        election = cls(path, connection, lock)
        try:
            lock.hold_file(path)
            with election._write(operator, "新建选举文件") as tx:
                tx.insert(
                    "election",
                    {
                        "id": 1,
                        "title": title,
                        "organization": organization,
                        "higher_organization": higher_organization,
                        "reference_date": _date_text(reference_date),
                        "created_at": now_text(),
                    },
                )
                tx.insert("plan", {"id": 1})
                for stage in STAGES:
                    tx.insert(
                        "stages", {"stage": stage, "status": "open", "changed_at": now_text()}
                    )
                    tx.insert("meetings", {"kind": stage})
        except BaseException:
            election.close()
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            raise
        return election

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> ElectionFile:
        """Open for writing (taking the lock), or read-only (no lock, no change possible)."""
        path = Path(path)
        if read_only:
            return cls(path, open_connection(path, read_only=True)[0], None)
        lock = WriterLock.acquire(path)
        try:
            remove_orphan_parts(path)
            # Nothing is written (not even a migration) to a file whose record does not hold.
            from gongtui_desktop.store.verify import check_before_writing  # imports this module

            check_before_writing(path)
            connection, _ = open_connection(path)
        except BaseException:
            lock.release()
            raise
        election = cls(path, connection, lock)
        if lock.took_over is not None:
            holder = lock.took_over
            try:
                with election._write("系统", "接管异常退出后遗留的文件锁") as tx:
                    tx.changes.append(
                        {
                            "op": "note",
                            "lock": {
                                "host": holder.host,
                                "pid": holder.pid,
                                "user": holder.user,
                                "since": holder.since,
                            },
                        }
                    )
            except BaseException:
                election.close()
                raise
        return election

    @property
    def read_only(self) -> bool:
        return self._lock is None

    def close(self) -> None:
        if self._connection is not None:
            try:
                if not self.read_only:
                    # Leave one self-contained file (no -wal/-shm) to copy or carry away;
                    # the next opening switches back to WAL.
                    with contextlib.suppress(sqlite3.OperationalError):
                        self._connection.execute("PRAGMA journal_mode = DELETE")
            finally:
                self._connection.close()
                self._connection = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> ElectionFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the write path --------------------------------------------------------

    @contextmanager
    def _write(self, operator: str, action: str) -> Iterator[Transaction]:
        """One user action: its row changes and its audit entry, committed together."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path} 以只读方式打开，不能修改")
        if not operator.strip():
            raise ElectionFileError("请先填写操作员姓名")
        assert self._lock is not None
        self._lock.check_identity()
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            if is_storage_error(error):
                raise StorageError(storage_message(error, self.path)) from error
            raise
        try:
            tx = Transaction(connection)
            yield tx
            # The head is read inside the transaction: nothing can slip in between.
            head = chain_head(connection)
            entry = append_entry(connection, head, operator.strip(), action, tx.changes)
            connection.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            # A full disk or a removed stick: nothing of the action is kept (rolled back),
            # and the user is told in words what happened and what to do.
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            if is_storage_error(error):
                raise StorageError(storage_message(error, self.path)) from error
            raise
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise
        self._last = (entry.seq, entry.hash)

    @property
    def chain_hash(self) -> str:
        """The hash of the last audit entry: what reports print (short form)."""
        return self._last[1]

    @property
    def short_hash(self) -> str:
        return short_hash(self._last[1])

    def round_code(self, round_id: int) -> str | None:
        """The 校验码 a confirmed round was confirmed under (shown to the room)."""
        from gongtui_desktop.store.verify import round_code  # verify imports this module

        return round_code(self._connection, round_id)

    @property
    def audit_length(self) -> int:
        return self._last[0]

    def audit_entries(self) -> list[AuditEntry]:
        return read_entries(self._connection)

    def _one(self, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...]:
        row = self._connection.execute(sql, params).fetchone()
        if row is None:
            raise ElectionFileError("找不到对应的记录")
        return tuple(row)

    # ---- election and plan -----------------------------------------------------

    def election_details(self) -> dict[str, object]:
        cursor = self._connection.execute("SELECT * FROM election WHERE id = 1")
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))

    def update_election(self, operator: str, **values: object) -> None:
        allowed = {"title", "organization", "higher_organization", "reference_date"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown election fields {sorted(unknown)}")
        if isinstance(values.get("reference_date"), date):
            values["reference_date"] = _date_text(values["reference_date"])  # type: ignore[arg-type]
        with self._write(operator, "修改选举基本信息") as tx:
            tx.update("election", {"id": 1}, values)

    def plan(self) -> PlanOptions:
        cursor = self._connection.execute("SELECT * FROM plan WHERE id = 1")
        names = [d[0] for d in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
        labels = tuple(str(row["evaluation_labels"]).split(","))
        points = tuple(int(x) for x in str(row["evaluation_points"]).split(","))
        weights = tuple(Fraction(x) for x in str(row["evaluation_weights"]).split(","))
        return PlanOptions(
            quorum=QuorumRule(row["quorum"]),
            counting=CountOptions(
                WriteInWithoutMark(row["writein_without_mark"]),
                bool(row["tie_break_requires_majority"]),
            ),
            nomination=NominationSettings(
                ScoringMethod(row["nomination_method"]),
                Weights(
                    Fraction(str(row["weight_member"])),
                    Fraction(str(row["weight_mass"])),
                    Fraction(str(row["weight_organization"])),
                    Fraction(str(row["weight_self"])),
                ),
                Fraction(str(row["nomination_ratio"])),
            ),
            review=ReviewConditions(
                bool(row["require_full_member"]),
                bool(row["require_full_rights"]),
                row["min_party_years"],  # type: ignore[arg-type]
                row["max_age"],  # type: ignore[arg-type]
                bool(row["require_local_relation"]),
            ),
            has_evaluation=bool(row["has_evaluation"]),
            evaluation=EvaluationOptions(
                threshold=Fraction(str(row["evaluation_threshold"])),
                threshold_rule=ThresholdRule(row["evaluation_threshold_rule"]),
                veto=bool(row["evaluation_veto"]),
                labels=(labels[0], labels[1], labels[2], labels[3]),
                points=(points[0], points[1], points[2], points[3]),
                weights=weights,
                ratio=Fraction(str(row["evaluation_ratio"])),
                require_participation=bool(row["require_participation"]),
            ),
        )

    def set_plan(self, operator: str, plan: PlanOptions) -> None:
        """Store every rule option of the plan (one audited change)."""
        e, n, r = plan.evaluation, plan.nomination, plan.review
        for label in e.labels:
            if "," in label or not label.strip():
                raise ElectionFileError(f"测评等次名称“{label}”不能为空，也不能含逗号")
        values: dict[str, object] = {
            "quorum": plan.quorum.value,
            "writein_without_mark": plan.counting.writein_without_mark.value,
            "tie_break_requires_majority": int(plan.counting.tie_break_requires_majority),
            "nomination_method": n.method.value,
            "weight_member": _fraction_text(n.weights.member),
            "weight_mass": _fraction_text(n.weights.mass),
            "weight_organization": _fraction_text(n.weights.organization),
            "weight_self": _fraction_text(n.weights.self_nominated),
            "nomination_ratio": _fraction_text(n.ratio),
            "require_full_member": int(r.require_full_member),
            "require_full_rights": int(r.require_full_rights),
            "min_party_years": r.min_party_years,
            "max_age": r.max_age,
            "require_local_relation": int(r.require_local_relation),
            "has_evaluation": int(plan.has_evaluation),
            "evaluation_threshold": _fraction_text(e.threshold),
            "evaluation_threshold_rule": e.threshold_rule.value,
            "evaluation_veto": int(e.veto),
            "evaluation_labels": ",".join(e.labels),
            "evaluation_points": ",".join(str(p) for p in e.points),
            "evaluation_weights": ",".join(_fraction_text(w) for w in e.weights),
            "evaluation_ratio": _fraction_text(e.ratio),
            "require_participation": int(e.require_participation),
        }
        closed = self._connection.execute("SELECT 1 FROM round_results LIMIT 1").fetchone()
        if closed and plan.counting != self.plan().counting:
            raise ElectionFileError("已有轮次结束计票，不能再修改计票规则（另选他人、重新投票）")
        with self._write(operator, "修改选举方案") as tx:
            tx.update("plan", {"id": 1}, values)

    # ---- people ------------------------------------------------------------------

    def add_person(
        self,
        operator: str,
        name: str,
        status: MemberStatus,
        *,
        gender: str | None = None,
        birth: date | None = None,
        joined: date | None = None,
        confirmed: date | None = None,
        discipline: Discipline = Discipline.NONE,
        employment: str = "working",
        local_relation: bool = True,
        contact: str = "",
        note: str = "",
    ) -> int:
        name = person_name(name)
        with self._write(operator, f"添加人员 {name}") as tx:
            row = tx.insert("people", self._person_values(locals()))
        return int(row["id"])  # type: ignore[arg-type]

    def add_people(
        self, operator: str, people: Sequence[Mapping[str, object]], action: str
    ) -> list[int]:
        """Several people in one transaction (an import is all or nothing)."""
        ids = []
        with self._write(operator, action) as tx:
            for values in people:
                row = tx.insert("people", self._person_values(values))
                ids.append(int(row["id"]))  # type: ignore[arg-type]
        return ids

    @staticmethod
    def _person_values(values: Mapping[str, object]) -> dict[str, object]:
        def text(key: str) -> str | None:
            value = values.get(key)
            return value.isoformat() if isinstance(value, date) else value  # type: ignore[return-value]

        return {
            "name": person_name(str(values["name"])),
            "gender": values.get("gender"),
            "birth": text("birth"),
            "joined": text("joined"),
            "confirmed": text("confirmed"),
            "status": MemberStatus(values["status"]).value,
            "discipline": Discipline(values.get("discipline") or Discipline.NONE).value,
            "employment": values.get("employment") or "working",
            "local_relation": int(bool(values.get("local_relation", True))),
            "contact": values.get("contact") or "",
            "note": values.get("note") or "",
        }

    def update_person(self, operator: str, person_id: int, **values: object) -> None:
        allowed = {
            "name", "gender", "birth", "joined", "confirmed", "status", "discipline",
            "employment", "local_relation", "contact", "note", "left_on",
        }  # fmt: skip
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown person fields {sorted(unknown)}")
        stored = {
            k: (v.isoformat() if isinstance(v, date) else int(v) if isinstance(v, bool) else v)
            for k, v in values.items()
        }
        if isinstance(stored.get("name"), str):
            stored["name"] = person_name(str(stored["name"]))
        name = self._one("SELECT name FROM people WHERE id = ?", (person_id,))[0]
        with self._write(operator, f"修改人员 {name}") as tx:
            tx.update("people", {"id": person_id}, stored)

    def person_references(self, person_id: int) -> list[str]:
        """Where a person is referenced (papers, forms, decisions, the meeting), in words."""
        checks = (
            ("选票上的另选他人", "SELECT COUNT(*) FROM paper_write_ins WHERE person_id = ?"),
            ("候选人名单", "SELECT COUNT(*) FROM contest_candidates WHERE person_id = ?"),
            ("投票轮次的候选人", "SELECT COUNT(*) FROM round_candidates WHERE person_id = ?"),
            ("推荐票", "SELECT COUNT(*) FROM recommendation_names WHERE person_id = ?"),
            ("推荐票数", "SELECT COUNT(*) FROM recommendation_totals WHERE person_id = ?"),
            (
                "组织推荐或自荐",
                "SELECT COUNT(*) FROM recommendation_nominations WHERE person_id = ?",
            ),
            ("资格审查决定", "SELECT COUNT(*) FROM review_decisions WHERE person_id = ?"),
            ("测评对象", "SELECT COUNT(*) FROM evaluation_candidates WHERE person_id = ?"),
            ("会议签到", "SELECT COUNT(*) FROM attendance WHERE person_id = ?"),
            ("不计入应到会人数", "SELECT COUNT(*) FROM exclusions WHERE person_id = ?"),
            ("监票人、计票人", "SELECT COUNT(*) FROM scrutineers WHERE person_id = ?"),
        )
        return [
            label
            for label, sql in checks
            if self._connection.execute(sql, (person_id,)).fetchone()[0]
        ]

    def delete_person(self, operator: str, person_id: int) -> None:
        """Remove a roster entry entered by mistake; someone referenced anywhere stays and
        can only be marked as having left."""
        name = self._one("SELECT name FROM people WHERE id = ?", (person_id,))[0]
        references = self.person_references(person_id)
        if references:
            raise ElectionFileError(
                f"{name}已出现在{'、'.join(references)}中，不能删除，只能标记为已离开"
            )
        with self._write(operator, f"删除人员 {name}") as tx:
            tx.delete("people", {"id": person_id})

    def people(self) -> list[PersonRecord]:
        rows = self._connection.execute(
            "SELECT id, name, gender, birth, joined, confirmed, status, discipline, employment,"
            " local_relation, contact, note, left_on FROM people ORDER BY id"
        ).fetchall()
        return [
            PersonRecord(
                id=row[0],
                person=Person(
                    key=str(row[0]),
                    name=row[1],
                    status=MemberStatus(row[6]),
                    discipline=Discipline(row[7]),
                    birth=_parse_date(row[3]),
                    joined=_parse_date(row[4]),
                    confirmed=_parse_date(row[5]),
                    local_relation=bool(row[9]),
                ),
                gender=row[2],
                employment=row[8],
                contact=row[10],
                note=row[11],
                left_on=row[12],
            )
            for row in rows
        ]

    # ---- meetings --------------------------------------------------------------

    def _meeting_id(self, kind: str) -> int:
        return int(self._one("SELECT id FROM meetings WHERE kind = ?", (kind,))[0])  # type: ignore[arg-type]

    def update_meeting(self, operator: str, kind: str, **values: object) -> None:
        allowed = {"held_on", "place", "chair"}
        if set(values) - allowed:
            raise ValueError(f"unknown meeting fields {sorted(set(values) - allowed)}")
        stored = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
        with self._write(operator, "修改会议信息") as tx:
            tx.update("meetings", {"kind": kind}, stored)

    def meeting_details(self, kind: str) -> dict[str, object]:
        """held_on, place and chair of a meeting."""
        row = self._one("SELECT held_on, place, chair FROM meetings WHERE kind = ?", (kind,))
        return {"held_on": row[0], "place": row[1], "chair": row[2]}

    def set_attendance(self, operator: str, kind: str, person_id: int, status: str) -> None:
        meeting = self._meeting_id(kind)
        exists = self._connection.execute(
            "SELECT 1 FROM attendance WHERE meeting_id = ? AND person_id = ?", (meeting, person_id)
        ).fetchone()
        with self._write(operator, "签到") as tx:
            key = {"meeting_id": meeting, "person_id": person_id}
            if exists:
                tx.update("attendance", key, {"status": status})
            else:
                tx.insert("attendance", {**key, "status": status})

    def attendance(self, kind: str) -> dict[int, str]:
        rows = self._connection.execute(
            "SELECT person_id, status FROM attendance WHERE meeting_id = ?",
            (self._meeting_id(kind),),
        )
        return {int(p): str(s) for p, s in rows}

    def add_exclusion(
        self,
        operator: str,
        kind: str,
        person_id: int,
        reason: ExclusionReason,
        consent: str,
        note: str = "",
    ) -> None:
        """R2: left out of 应到会人数 with the higher organization's consent."""
        with self._write(operator, "不计入应到会人数") as tx:
            tx.insert(
                "exclusions",
                {
                    "meeting_id": self._meeting_id(kind),
                    "person_id": person_id,
                    "reason": ExclusionReason(reason).value,
                    "consent": consent,
                    "note": note,
                },
            )

    def remove_exclusion(self, operator: str, kind: str, person_id: int) -> None:
        with self._write(operator, "恢复计入应到会人数") as tx:
            tx.delete("exclusions", {"meeting_id": self._meeting_id(kind), "person_id": person_id})

    def exclusions(self, kind: str) -> list[tuple[int, ExclusionReason, str, str]]:
        rows = self._connection.execute(
            "SELECT person_id, reason, consent, note FROM exclusions WHERE meeting_id = ? ORDER BY person_id",
            (self._meeting_id(kind),),
        )
        return [(int(p), ExclusionReason(r), str(c), str(n)) for p, r, c, n in rows]

    def add_scrutineer(self, operator: str, person_id: int, role: ScrutineerRole) -> None:
        """R12: a candidate of this election is refused as 监票人."""
        person = next((p for p in self.people() if p.id == person_id), None)
        if person is None:
            raise ElectionFileError("名册中没有这个人")
        candidates = {
            str(pid)
            for (pid,) in self._connection.execute(
                "SELECT person_id FROM contest_candidates WHERE person_id IS NOT NULL"
                " UNION SELECT person_id FROM round_candidates WHERE person_id IS NOT NULL"
            )
        }
        refusal = scrutineer_refusal(role, person.person, candidates)
        if refusal:
            raise ElectionFileError(refusal)
        with self._write(operator, f"推选{role.label} {person.person.name}") as tx:
            tx.insert(
                "scrutineers",
                {
                    "meeting_id": self._meeting_id("election"),
                    "person_id": person_id,
                    "role": role.value,
                },
            )

    def scrutineers(self) -> list[tuple[int, ScrutineerRole]]:
        rows = self._connection.execute(
            "SELECT person_id, role FROM scrutineers WHERE meeting_id = ? ORDER BY rowid",
            (self._meeting_id("election"),),
        )
        return [(int(p), ScrutineerRole(r)) for p, r in rows]

    # ---- stages and backups ----------------------------------------------------

    def stage_status(self, stage: str) -> str:
        return str(self._one("SELECT status FROM stages WHERE stage = ?", (stage,))[0])

    def close_stage(self, operator: str, stage: str) -> Path:
        """Freeze a stage (recommendation, evaluation, election) and back the file up."""
        labels = {"recommendation": "民主推荐", "evaluation": "民主测评", "election": "选举"}
        with self._write(operator, f"结束{labels[stage]}") as tx:
            tx.update("stages", {"stage": stage}, {"status": "closed", "changed_at": now_text()})
        return self.backup(operator, f"{labels[stage]}结束")

    def backup(self, operator: str, stage: str) -> Path:
        """A full copy in ``backups/`` beside the file, recording the chain hash it holds."""
        taken_at = now_text()
        target = take_backup(self._connection, self.path, stage, self.chain_hash)
        with self._write(operator, f"备份：{stage}") as tx:
            tx.insert(
                "backups",
                {
                    "file_name": target.name,
                    "stage": stage,
                    "chain_hash": self.chain_hash,
                    "taken_at": taken_at,
                },
            )
        return target

    def copy_to(self, target: Path) -> Path:
        """A consistent copy of the whole file (online backup API), without changing this one."""
        try:
            copy_database(self._connection, target)
        except (OSError, sqlite3.Error) as error:
            raise ElectionFileError(f"无法复制选举文件到 {target}：{error}") from error
        return target

    def checkpoint(self) -> None:
        """Move what the write-ahead log holds into the main file, so a plain copy of the
        .gongtui file (people copy files to USB sticks) holds every acknowledged action.
        Passive: never waits for a reader such as an export running beside."""
        try:
            self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:
            raise ElectionFileError(f"无法把最新的记录写入 {self.path.name}：{error}") from error

    def backups(self) -> list[BackupRecord]:
        rows = self._connection.execute(
            "SELECT file_name, stage, chain_hash, taken_at FROM backups ORDER BY id"
        )
        return [BackupRecord(*row) for row in rows]

    # ---- recommendation (N1–N6) ------------------------------------------------

    def set_recommendation_seats(self, operator: str, position: Position, seats: int) -> None:
        """Seats recommended for a position; its scoring and conditions stay as they are."""
        current = self.recommendation_settings().get(position)
        self.set_recommendation_position(
            operator,
            position,
            seats,
            None if current is None else current[1],
            None if current is None else current[2],
        )

    def set_recommendation_position(
        self,
        operator: str,
        position: Position,
        seats: int,
        nomination: NominationSettings | None = None,
        review: ReviewConditions | None = None,
    ) -> None:
        """Seats, scoring (N3), shortlist ratio (N5) and review conditions (N4) of one position;
        ``None`` takes the plan's. Fixed once recommendation has started."""
        self._require_stage_open("recommendation")
        plan = self.plan()
        nomination = nomination or plan.nomination
        review = review or plan.review
        settings = canonical(
            {
                "method": nomination.method.value,
                "weights": [
                    _fraction_text(w)
                    for w in (
                        nomination.weights.member,
                        nomination.weights.mass,
                        nomination.weights.organization,
                        nomination.weights.self_nominated,
                    )
                ],
                "ratio": _fraction_text(nomination.ratio),
                "review": {
                    "require_full_member": review.require_full_member,
                    "require_full_rights": review.require_full_rights,
                    "min_party_years": review.min_party_years,
                    "max_age": review.max_age,
                    "require_local_relation": review.require_local_relation,
                },
            }
        )
        existing = self.recommendation_settings().get(position)
        if (
            existing is not None
            and existing[1:] != (nomination, review)
            and self.recommendation_started()
        ):
            raise ElectionFileError("民主推荐已经开始录入，计分方法、差额比例和资格条件不能再改")
        values = {"seats": seats, "settings": settings}
        with self._write(operator, f"设置{position.label}的推荐职数和规则") as tx:
            if existing is not None:
                tx.update("recommendation_positions", {"position": position.value}, values)
            else:
                tx.insert("recommendation_positions", {"position": position.value, **values})

    def recommendation_started(self) -> bool:
        """Any form, hand-counted total or nomination entered."""
        return any(
            self._connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in (
                "recommendation_forms",
                "recommendation_totals",
                "recommendation_nominations",
            )
        )

    def recommendation_settings(
        self,
    ) -> dict[Position, tuple[int, NominationSettings, ReviewConditions]]:
        """Per position: seats, scoring and ratio, review conditions (the plan's where unset)."""
        plan = self.plan()
        result = {}
        for position, seats, settings in self._connection.execute(
            "SELECT position, seats, settings FROM recommendation_positions"
        ):
            nomination, review = plan.nomination, plan.review
            if settings is not None:
                data = json.loads(settings)
                weights = [Fraction(w) for w in data["weights"]]
                nomination = NominationSettings(
                    ScoringMethod(data["method"]), Weights(*weights), Fraction(data["ratio"])
                )
                r = data["review"]
                review = ReviewConditions(
                    bool(r["require_full_member"]),
                    bool(r["require_full_rights"]),
                    r["min_party_years"],
                    r["max_age"],
                    bool(r["require_local_relation"]),
                )
            result[Position(position)] = (int(seats), nomination, review)
        return result

    def set_form_count(
        self, operator: str, stage: str, channel: str, issued: int, returned: int
    ) -> None:
        """N1/E1: forms issued and returned per channel (member / mass); fixed once the
        stage is closed, since its published return rate rests on them."""
        self._require_stage_open(stage)
        key = {"stage": stage, "channel": channel}
        exists = self._connection.execute(
            "SELECT 1 FROM form_counts WHERE stage = ? AND channel = ?", (stage, channel)
        ).fetchone()
        with self._write(operator, "登记发出和收回的表格数") as tx:
            if exists:
                tx.update("form_counts", key, {"issued": issued, "returned": returned})
            else:
                tx.insert("form_counts", {**key, "issued": issued, "returned": returned})

    def form_counts(self, stage: str) -> dict[str, tuple[int, int]]:
        rows = self._connection.execute(
            "SELECT channel, issued, returned FROM form_counts WHERE stage = ?", (stage,)
        )
        return {str(c): (int(i), int(r)) for c, i, r in rows}

    def enter_recommendation_form(
        self, operator: str, channel: str, names: Mapping[Position, Sequence[Candidate]]
    ) -> int:
        """One returned recommendation form: the names written for each position, in order."""
        self._require_stage_open("recommendation")
        with self._write(operator, "录入推荐票") as tx:
            entry_no = self._next_entry("recommendation_forms", "1 = 1", ())
            form = tx.insert(
                "recommendation_forms",
                {
                    "channel": channel,
                    "entry_no": entry_no,
                    "operator": operator,
                    "entered_at": now_text(),
                },
            )
            for position, people in names.items():
                for ordinal, (person_id, name) in enumerate(people, start=1):
                    tx.insert(
                        "recommendation_names",
                        {
                            "form_id": form["id"],
                            "position": Position(position).value,
                            "ordinal": ordinal,
                            "person_id": person_id,
                            "name": name,
                        },
                    )
        return int(form["id"])  # type: ignore[arg-type]

    def recommendation_forms(self) -> list[tuple[int, str, dict[Position, list[str]]]]:
        """Counted forms (not withdrawn): (entry no., channel, names per position)."""
        forms = self._connection.execute(
            "SELECT id, entry_no, channel FROM recommendation_forms"
            " WHERE id NOT IN (SELECT form_id FROM recommendation_form_withdrawals) ORDER BY entry_no"
        ).fetchall()
        result = []
        for form_id, entry_no, channel in forms:
            names: dict[Position, list[str]] = {}
            for position, name in self._connection.execute(
                "SELECT position, name FROM recommendation_names WHERE form_id = ? ORDER BY position, ordinal",
                (form_id,),
            ):
                names.setdefault(Position(position), []).append(name)
            result.append((int(entry_no), str(channel), names))
        return result

    def recommendation_seats(self) -> dict[Position, int]:
        rows = self._connection.execute("SELECT position, seats FROM recommendation_positions")
        return {Position(p): int(n) for p, n in rows}

    def recommendation_form_records(
        self,
    ) -> list[tuple[int, int, str, dict[Position, list[tuple[int | None, str]]]]]:
        """Counted forms (not withdrawn): (form id, entry no., channel, people per position)."""
        forms = self._connection.execute(
            "SELECT id, entry_no, channel FROM recommendation_forms"
            " WHERE id NOT IN (SELECT form_id FROM recommendation_form_withdrawals)"
            " ORDER BY entry_no"
        ).fetchall()
        names: dict[int, dict[Position, list[tuple[int | None, str]]]] = {}
        for form_id, position, person_id, name in self._connection.execute(
            "SELECT form_id, position, person_id, name FROM recommendation_names"
            " ORDER BY form_id, position, ordinal"
        ):
            names.setdefault(int(form_id), {}).setdefault(Position(position), []).append(
                (person_id, str(name))
            )
        return [
            (int(form_id), int(entry_no), str(channel), names.get(int(form_id), {}))
            for form_id, entry_no, channel in forms
        ]

    def _withdrawable_form(self, table: str, form_id: int, noun: str) -> int:
        """The entry number of a form that is on file and not withdrawn yet."""
        withdrawals = table.replace("forms", "form_withdrawals")
        found = self._connection.execute(
            f"SELECT entry_no, EXISTS (SELECT 1 FROM {withdrawals} w WHERE w.form_id = f.id)"
            f" FROM {table} f WHERE f.id = ?",
            (form_id,),
        ).fetchone()
        if found is None:
            raise ElectionFileError(f"没有编号为 {form_id} 的{noun}")
        if found[1]:
            raise ElectionFileError(f"第 {found[0]} 张{noun}已经撤销过了")
        return int(found[0])

    def withdraw_recommendation_form(
        self, operator: str, form_id: int, reason: str = "撤销录入"
    ) -> None:
        """Undo an entered form: recorded as a withdrawal, the form itself stays."""
        self._require_stage_open("recommendation")
        entry_no = self._withdrawable_form("recommendation_forms", form_id, "推荐票")
        with self._write(operator, f"撤销第 {entry_no} 张推荐票") as tx:
            tx.insert(
                "recommendation_form_withdrawals",
                {"form_id": form_id, "reason": reason, "operator": operator, "at": now_text()},
            )

    def recommendation_totals(self) -> dict[tuple[Position, int, str], int]:
        rows = self._connection.execute(
            "SELECT position, person_id, channel, votes FROM recommendation_totals"
        )
        return {(Position(p), int(i), str(c)): int(v) for p, i, c, v in rows}

    def nominations(self) -> list[tuple[Position, int, str, str]]:
        rows = self._connection.execute(
            "SELECT position, person_id, channel, note FROM recommendation_nominations"
            " ORDER BY rowid"
        )
        return [(Position(p), int(i), str(c), str(n)) for p, i, c, n in rows]

    def publicity(self) -> dict[str, tuple[str | None, str | None, str]]:
        rows = self._connection.execute("SELECT stage, starts_on, ends_on, note FROM publicity")
        return {str(st): (s1, s2, str(n)) for st, s1, s2, n in rows}

    def _require_stage_open(self, stage: str) -> None:
        if self.stage_status(stage) != "open":
            labels = {"recommendation": "民主推荐", "evaluation": "民主测评", "election": "选举"}
            raise ElectionFileError(f"{labels[stage]}已经结束，不能再修改")

    def set_recommendation_total(
        self, operator: str, position: Position, person_id: int, channel: str, votes: int
    ) -> None:
        """Hand-counted totals per person and channel."""
        self._require_stage_open("recommendation")
        key = {"position": position.value, "person_id": person_id, "channel": channel}
        exists = self._connection.execute(
            "SELECT 1 FROM recommendation_totals WHERE position = ? AND person_id = ? AND channel = ?",
            tuple(key.values()),
        ).fetchone()
        with self._write(operator, "登记推荐票数") as tx:
            if exists:
                tx.update("recommendation_totals", key, {"votes": votes})
            else:
                tx.insert("recommendation_totals", {**key, "votes": votes})

    def add_nomination(
        self, operator: str, position: Position, person_id: int, channel: str, note: str = ""
    ) -> None:
        """组织推荐 or 个人自荐 (N1)."""
        self._require_stage_open("recommendation")
        with self._write(operator, "登记组织推荐或个人自荐") as tx:
            tx.insert(
                "recommendation_nominations",
                {
                    "position": position.value,
                    "person_id": person_id,
                    "channel": channel,
                    "note": note,
                },
            )

    def decide_review(
        self, operator: str, position: Position, person_id: int, passed: bool, note: str = ""
    ) -> None:
        """The review group's decision (N4)."""
        self._require_stage_open("recommendation")
        key = {"position": position.value, "person_id": person_id}
        values = {
            "decision": "pass" if passed else "fail",
            "note": note,
            "operator": operator,
            "decided_at": now_text(),
        }
        exists = self._connection.execute(
            "SELECT 1 FROM review_decisions WHERE position = ? AND person_id = ?",
            tuple(key.values()),
        ).fetchone()
        with self._write(operator, "资格审查决定") as tx:
            if exists:
                tx.update("review_decisions", key, values)
            else:
                tx.insert("review_decisions", {**key, **values})

    def review_decisions(self) -> dict[tuple[Position, int], tuple[bool, str]]:
        rows = self._connection.execute(
            "SELECT position, person_id, decision, note FROM review_decisions"
        )
        return {(Position(p), int(i)): (d == "pass", str(n)) for p, i, d, n in rows}

    def set_publicity(
        self, operator: str, stage: str, starts_on: date, ends_on: date, note: str = ""
    ) -> None:
        """N6: publicity dates per stage."""
        if ends_on < starts_on:
            raise ElectionFileError("公示结束日期早于开始日期")
        values = {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "note": note}
        exists = self._connection.execute(
            "SELECT 1 FROM publicity WHERE stage = ?", (stage,)
        ).fetchone()
        with self._write(operator, "登记公示日期") as tx:
            if exists:
                tx.update("publicity", {"stage": stage}, values)
            else:
                tx.insert("publicity", {"stage": stage, **values})

    # ---- evaluation (E1–E5) ------------------------------------------------------

    def set_evaluation_candidates(self, operator: str, person_ids: Sequence[int]) -> None:
        """Who is evaluated (the approved 初步人选), in order; set once."""
        self._require_stage_open("evaluation")
        if self.evaluation_candidates():
            raise ElectionFileError("测评对象已经确定")
        with self._write(operator, "确定测评对象") as tx:
            for ordinal, person_id in enumerate(person_ids, start=1):
                tx.insert("evaluation_candidates", {"person_id": person_id, "ordinal": ordinal})

    def evaluation_candidates(self) -> list[int]:
        rows = self._connection.execute(
            "SELECT person_id FROM evaluation_candidates ORDER BY ordinal"
        )
        return [int(p) for (p,) in rows]

    def enter_evaluation_form(
        self, operator: str, group: RaterGroup, ratings: Mapping[int, CandidateRating]
    ) -> int:
        """One returned evaluation form (E2): each candidate's five grades and the overall."""
        self._require_stage_open("evaluation")
        unknown = set(ratings) - set(self.evaluation_candidates())
        if unknown:
            raise ElectionFileError("测评表上有不是测评对象的人")
        with self._write(operator, "录入测评表") as tx:
            entry_no = self._next_entry("evaluation_forms", "1 = 1", ())
            form = tx.insert(
                "evaluation_forms",
                {
                    "rater_group": group.value,
                    "entry_no": entry_no,
                    "operator": operator,
                    "entered_at": now_text(),
                },
            )
            for person_id, rating in ratings.items():
                grades = "".join("-" if g is None else GRADE_CODES[g] for g in rating.grades)
                tx.insert(
                    "evaluation_grades",
                    {
                        "form_id": form["id"],
                        "person_id": person_id,
                        "grades": grades,
                        "overall": None if rating.overall is None else rating.overall.value,
                    },
                )
        return int(form["id"])  # type: ignore[arg-type]

    def evaluation_form_ids(self) -> list[tuple[int, int]]:
        """(form id, entry no.) of the counted evaluation forms, in entry order."""
        rows = self._connection.execute(
            "SELECT id, entry_no FROM evaluation_forms"
            " WHERE id NOT IN (SELECT form_id FROM evaluation_form_withdrawals) ORDER BY entry_no"
        )
        return [(int(i), int(n)) for i, n in rows]

    def withdraw_evaluation_form(
        self, operator: str, form_id: int, reason: str = "撤销录入"
    ) -> None:
        """Undo an entered evaluation form: recorded as a withdrawal, the form stays."""
        self._require_stage_open("evaluation")
        entry_no = self._withdrawable_form("evaluation_forms", form_id, "测评表")
        with self._write(operator, f"撤销第 {entry_no} 张测评表") as tx:
            tx.insert(
                "evaluation_form_withdrawals",
                {"form_id": form_id, "reason": reason, "operator": operator, "at": now_text()},
            )

    def evaluation_forms(self) -> list[EvaluationForm]:
        """Counted forms as domain values, candidates keyed by person id as text."""
        forms = self._connection.execute(
            "SELECT id, rater_group FROM evaluation_forms"
            " WHERE id NOT IN (SELECT form_id FROM evaluation_form_withdrawals) ORDER BY entry_no"
        ).fetchall()
        result = []
        for form_id, group in forms:
            ratings = {}
            for person_id, grades, overall in self._connection.execute(
                "SELECT person_id, grades, overall FROM evaluation_grades WHERE form_id = ?",
                (form_id,),
            ):
                ratings[str(person_id)] = CandidateRating(
                    tuple(None if ch == "-" else CODE_GRADES[ch] for ch in grades),
                    None if overall is None else Overall(overall),
                )
            result.append(EvaluationForm(RaterGroup(group), ratings))
        assert all(len(r.grades) == len(DIMENSIONS) for f in result for r in f.ratings.values())
        return result

    # ---- contests and rounds -----------------------------------------------------

    def add_contest(
        self,
        operator: str,
        position: Position,
        seats: int,
        candidates: Sequence[Candidate],
        *,
        title: str = "",
        equal_approved: bool = False,
        restricted_to: int | None = None,
    ) -> int:
        """A contest of the plan, after the ones already there (R15)."""
        names = tuple(name for _, name in candidates)
        Contest("check", position, seats, names, title, equal_approved)  # validates names and seats
        ordinal = int(self._one("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM contests")[0])  # type: ignore[arg-type]
        with self._write(operator, f"设置选举项目：{title or position.label}") as tx:
            row = tx.insert(
                "contests",
                {
                    "ordinal": ordinal,
                    "position": position.value,
                    "title": title,
                    "seats": seats,
                    "equal_approved": int(equal_approved),
                    "restricted_to": restricted_to,
                },
            )
            for number, (person_id, name) in enumerate(candidates, start=1):
                tx.insert(
                    "contest_candidates",
                    {
                        "contest_id": row["id"],
                        "ordinal": number,
                        "person_id": person_id,
                        "name": name,
                    },
                )
        return int(row["id"])  # type: ignore[arg-type]

    def set_contest_candidates(
        self, operator: str, contest_id: int, candidates: Sequence[Candidate]
    ) -> None:
        """Name a contest's candidates before its first round, e.g. the secretary among the
        committee just elected (R15: only people elected in the contest it is restricted to).
        """
        record = self.contest(contest_id)
        if self.rounds(contest_id):
            raise ElectionFileError(f"{record.contest.display_title}已开始投票，不能再改候选人")
        contest = Contest(
            record.contest.key,
            record.contest.position,
            record.contest.seats,
            tuple(name for _, name in candidates),
            record.contest.title,
            record.contest.equal_approved,
            record.contest.restricted_to,
        )
        if contest.restricted_to is not None:
            progress = {contest.restricted_to: self.contest_progress(int(contest.restricted_to))}
            outside = restriction_violations(contest, progress)
            if outside:
                raise ElectionFileError(
                    f"{'、'.join(outside)}不是前一项选举的当选人，不能作为{contest.display_title}候选人"
                )
        with self._write(operator, f"确定{contest.display_title}候选人") as tx:
            for ordinal in range(1, len(record.contest.candidates) + 1):
                tx.delete("contest_candidates", {"contest_id": contest_id, "ordinal": ordinal})
            for ordinal, (person_id, name) in enumerate(candidates, start=1):
                tx.insert(
                    "contest_candidates",
                    {
                        "contest_id": contest_id,
                        "ordinal": ordinal,
                        "person_id": person_id,
                        "name": name,
                    },
                )

    def contests(self) -> list[ContestRecord]:
        rows = self._connection.execute(
            "SELECT id, ordinal, position, title, seats, equal_approved, restricted_to FROM contests ORDER BY ordinal"
        ).fetchall()
        result = []
        for contest_id, ordinal, position, title, seats, equal, restricted in rows:
            people = self._connection.execute(
                "SELECT person_id, name FROM contest_candidates WHERE contest_id = ? ORDER BY ordinal",
                (contest_id,),
            ).fetchall()
            contest = Contest(
                key=str(contest_id),
                position=Position(position),
                seats=int(seats),
                candidates=tuple(name for _, name in people),
                title=str(title),
                equal_approved=bool(equal),
                restricted_to=None if restricted is None else str(restricted),
            )
            result.append(
                ContestRecord(
                    int(contest_id), int(ordinal), contest, tuple(p for p, _ in people), restricted
                )
            )
        return result

    def contest(self, contest_id: int) -> ContestRecord:
        for record in self.contests():
            if record.id == contest_id:
                return record
        raise ElectionFileError(f"没有编号为 {contest_id} 的选举项目")

    def open_round(
        self,
        operator: str,
        contest_id: int,
        present_voters: int,
        papers_issued: int | None = None,
        candidates: Sequence[Candidate] | None = None,
        double_entry: bool = False,
    ) -> int:
        """Open the round the contest needs next (R4, R8, R9): its kind and seats follow from
        the results so far; a by-election may name other candidates than the proposal.
        """
        progress = self.contest_progress(contest_id)
        following = progress.next_round
        if following is None:
            raise ElectionFileError(f"{progress.contest.display_title}已选举完毕")
        if self._connection.execute(
            "SELECT 1 FROM rounds WHERE contest_id = ? AND status != 'confirmed'", (contest_id,)
        ).fetchone():
            raise ElectionFileError("上一轮尚未确认结果，不能开始新一轮")
        known = self._candidate_people(contest_id)
        if candidates is None:
            candidates = [(known.get(name), name) for name in following.candidates]
        candidates = [(person_id, normalize_name(name)) for person_id, name in candidates]
        names = {name for _, name in candidates}
        if following.kind is RoundKind.TIE_BREAK and names != set(following.candidates):
            raise ElectionFileError("重新投票只能在得票相等的人中进行")
        if set(progress.elected) & names:
            raise ElectionFileError("已当选的人不能再作为本项的候选人")
        if not candidates:
            raise ElectionFileError(f"{progress.contest.display_title}还没有确定候选人")
        issued = present_voters if papers_issued is None else papers_issued
        spec = RoundSpec(
            following.seats, tuple(n for _, n in candidates), present_voters, issued, following.kind
        )
        number = int(
            self._one("SELECT COUNT(*) + 1 FROM rounds WHERE contest_id = ?", (contest_id,))[0]
        )  # type: ignore[arg-type]
        with self._write(
            operator, f"{progress.contest.display_title}第 {number} 轮（{spec.kind.label}）开始"
        ) as tx:
            row = tx.insert(
                "rounds",
                {
                    "contest_id": contest_id,
                    "number": number,
                    "kind": spec.kind.value,
                    "seats": spec.seats,
                    "present_voters": present_voters,
                    "papers_issued": issued,
                    "opened_at": now_text(),
                    "double_entry": int(double_entry),
                },
            )
            for ordinal, (person_id, name) in enumerate(candidates, start=1):
                tx.insert(
                    "round_candidates",
                    {
                        "round_id": row["id"],
                        "ordinal": ordinal,
                        "person_id": person_id,
                        "name": name,
                    },
                )
        return int(row["id"])  # type: ignore[arg-type]

    def _candidate_people(self, contest_id: int) -> dict[str, int]:
        rows = self._connection.execute(
            "SELECT name, person_id FROM contest_candidates WHERE contest_id = ? AND person_id IS NOT NULL"
            " UNION SELECT rc.name, rc.person_id FROM round_candidates rc JOIN rounds r ON r.id = rc.round_id"
            " WHERE r.contest_id = ? AND rc.person_id IS NOT NULL",
            (contest_id, contest_id),
        )
        return {str(n): int(p) for n, p in rows}

    def rounds(self, contest_id: int) -> list[RoundRecord]:
        rows = self._connection.execute(
            "SELECT id FROM rounds WHERE contest_id = ? ORDER BY number", (contest_id,)
        ).fetchall()
        return [self.round(int(r)) for (r,) in rows]

    def round(self, round_id: int) -> RoundRecord:
        row = self._one(
            "SELECT contest_id, number, kind, seats, present_voters, papers_issued, papers_collected,"
            " status, opened_at, double_entry FROM rounds WHERE id = ?",
            (round_id,),
        )
        people = self._connection.execute(
            "SELECT person_id, name FROM round_candidates WHERE round_id = ? ORDER BY ordinal",
            (round_id,),
        ).fetchall()
        spec = RoundSpec(
            int(row[3]),  # type: ignore[arg-type]
            tuple(name for _, name in people),
            int(row[4]),  # type: ignore[arg-type]
            int(row[5]),  # type: ignore[arg-type]
            RoundKind(row[2]),
        )
        return RoundRecord(
            round_id,
            int(row[0]),  # type: ignore[arg-type]
            int(row[1]),  # type: ignore[arg-type]
            spec,
            tuple(p for p, _ in people),
            None if row[6] is None else int(row[6]),  # type: ignore[arg-type]
            RoundStatus(row[7]),
            str(row[8]),
            bool(row[9]),
        )

    def _require_open(self, round_id: int) -> RoundRecord:
        record = self.round(round_id)
        if record.status is not RoundStatus.OPEN:
            raise ElectionFileError(f"第 {record.number} 轮{record.status.label}，不能再修改")
        return record

    def set_papers_issued(self, operator: str, round_id: int, issued: int) -> None:
        self._require_open(round_id)
        with self._write(operator, "登记发出选票数") as tx:
            tx.update("rounds", {"id": round_id}, {"papers_issued": issued})

    def set_papers_collected(self, operator: str, round_id: int, collected: int) -> None:
        """R4: papers collected, recorded before entry."""
        self._require_open(round_id)
        with self._write(operator, "登记收回选票数") as tx:
            tx.update("rounds", {"id": round_id}, {"papers_collected": collected})

    # ---- papers ------------------------------------------------------------------

    def _next_entry(self, table: str, where: str, params: tuple[object, ...]) -> int:
        return int(
            self._one(f"SELECT COALESCE(MAX(entry_no), 0) + 1 FROM {table} WHERE {where}", params)[
                0
            ]
        )  # type: ignore[arg-type]

    def _next_paper_no(self, round_id: int) -> int:
        """The next entry number of a single-entry round keyed (or scanned) on this station."""
        return self._next_entry("papers", _LIVE_KEYED_HERE, (round_id, 1))

    def _insert_paper(
        self,
        tx: Transaction,
        round_id: int,
        entry_no: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None],
        operator: str,
        supersedes: int | None,
        entry_pass: int = 1,
        box: str = "",
    ) -> int:
        people = list(write_in_people) + [None] * (len(paper.write_ins) - len(write_in_people))
        row = tx.insert(
            "papers",
            {
                "round_id": round_id,
                "entry_no": entry_no,
                "marks": "".join(m.value for m in paper.marks),
                "void_reason": paper.void_reason,
                "supersedes": supersedes,
                "operator": operator,
                "entered_at": now_text(),
                "entry_pass": entry_pass,
                "box": box,
            },
        )
        for ordinal, (write_in, person_id) in enumerate(
            zip(paper.write_ins, people, strict=True), start=1
        ):
            tx.insert(
                "paper_write_ins",
                {
                    "paper_id": row["id"],
                    "ordinal": ordinal,
                    "name": write_in.name,
                    "marked": int(write_in.marked),
                    "person_id": person_id,
                },
            )
        return int(row["id"])  # type: ignore[arg-type]

    def enter_paper(
        self,
        operator: str,
        round_id: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
        entry_pass: int = 1,
    ) -> PaperRecord:
        """One paper as read out; returns it with its entry number once it is on disk.

        In a double-entry round each operator keys the whole stack: ``entry_pass`` 1 or 2,
        numbered separately, paired by entry number (双人录入核对).
        """
        record = self._require_open(round_id)
        if len(paper.marks) != len(record.spec.candidates):
            raise ElectionFileError(
                f"选票有 {len(paper.marks)} 个标记，本轮候选人有 {len(record.spec.candidates)} 名"
            )
        if entry_pass not in ((1, 2) if record.double_entry else (1,)):
            raise ElectionFileError("本轮不是双人录入：只有一遍录入")
        # Only live rows hold a number: after an undo the re-keyed paper takes the freed
        # number, so the two passes of a double-entry round keep pairing.
        entry_no = self._next_entry("papers", _LIVE_KEYED_HERE, (round_id, entry_pass))
        action = f"录入第 {entry_no} 张选票" + (
            f"（第 {entry_pass} 遍）" if record.double_entry else ""
        )
        with self._write(operator, action) as tx:
            paper_id = self._insert_paper(
                tx, round_id, entry_no, paper, write_in_people, operator, None, entry_pass
            )
        return self._paper(paper_id)

    def live_entries(self, round_id: int, entry_pass: int = 1) -> int:
        """Papers of one pass keyed on this station that still count (not withdrawn, not
        replaced): what 撤销 can still take back."""
        return int(
            self._one(
                f"SELECT COUNT(*) FROM papers WHERE {_LIVE_KEYED_HERE}", (round_id, entry_pass)
            )[0]
        )  # type: ignore[arg-type]

    def settle_paper(
        self,
        operator: str,
        round_id: int,
        entry_no: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
    ) -> PaperRecord:
        """The scrutineers' reading of a paper the two entries disagree on; it is what counts,
        and both entries stay on record (双人录入核对)."""
        record = self._require_open(round_id)
        if not record.double_entry:
            raise ElectionFileError("本轮不是双人录入")
        if len(paper.marks) != len(record.spec.candidates):
            raise ElectionFileError("核定的标记数与候选人数不符")
        live = [
            p
            for p in self._papers(
                "p.round_id = ? AND p.entry_no = ? AND p.box = ''", (round_id, entry_no)
            )
            if p.state is PaperState.COUNTED
        ]
        if {p.entry_pass for p in live} & {1, 2} != {1, 2}:
            raise ElectionFileError(f"第 {entry_no} 张选票还没有两遍都录入，不能核定")
        earlier = [p for p in live if p.entry_pass == 0]
        with self._write(operator, f"核定第 {entry_no} 张选票") as tx:
            paper_id = self._insert_paper(
                tx,
                round_id,
                entry_no,
                paper,
                write_in_people,
                operator,
                earlier[0].id if earlier else None,
                0,
            )
        return self._paper(paper_id)

    def correct_paper(
        self,
        operator: str,
        paper_id: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
    ) -> PaperRecord:
        """A correction is a new row that replaces the old one; the old one stays readable."""
        old = self._paper(paper_id)
        record = self._require_open(old.round_id)
        if old.state is not PaperState.COUNTED:
            raise ElectionFileError(f"第 {old.entry_no} 张选票{old.state.label}，不能再更正")
        if old.box:
            raise ElectionFileError(
                f"这张选票是票箱“{old.box}”导入的：请在该票箱的计票机上更正，不在主计票机上改"
            )
        if record.double_entry:
            # Changing one operator's reading would silently re-pair the two passes.
            raise ElectionFileError(
                "双人录入的轮次不能直接更正：录错的一遍请撤销后重录，两遍不一致的由监票人核定"
            )
        if len(paper.marks) != len(record.spec.candidates):
            raise ElectionFileError("更正后的标记数与候选人数不符")
        page = self.scan_page_of(paper_id)
        with self._write(operator, f"更正第 {old.entry_no} 张选票") as tx:
            new_id = self._insert_paper(
                tx, old.round_id, old.entry_no, paper, write_in_people, operator, paper_id
            )
            if page is not None:
                # The scanned page now stands for the corrected paper (issue #11).
                tx.update("scan_pages", {"id": page.id}, {"paper_id": new_id})
        return self._paper(new_id)

    def withdraw_paper(self, operator: str, paper_id: int, reason: str = "撤销录入") -> None:
        """Undo an entry: recorded as a withdrawal, the paper row itself stays."""
        old = self._paper(paper_id)
        record = self._require_open(old.round_id)
        if old.state is not PaperState.COUNTED:
            raise ElectionFileError(f"第 {old.entry_no} 张选票{old.state.label}")
        if old.box:
            raise ElectionFileError(
                f"这张选票是票箱“{old.box}”导入的：请在该票箱的计票机上撤销，不在主计票机上改"
            )
        if self.scan_page_of(paper_id) is not None:
            raise ElectionFileError(
                f"第 {old.entry_no} 张选票是扫描计入的：不计入本轮请在“核定扫描选票”中处理"
            )
        # A settled reading belongs to the pair it settled: once one of the pair is withdrawn
        # the settlement goes with it, so a re-keyed pair is compared afresh.
        settled = (
            [
                p
                for p in self._papers(
                    "p.round_id = ? AND p.entry_no = ? AND p.entry_pass = 0 AND p.box = ''",
                    (old.round_id, old.entry_no),
                )
                if p.state is PaperState.COUNTED
            ]
            if record.double_entry and old.entry_pass in (1, 2)
            else []
        )
        with self._write(operator, f"撤销第 {old.entry_no} 张选票") as tx:
            for row in [old, *settled]:
                tx.insert(
                    "paper_withdrawals",
                    {
                        "paper_id": row.id,
                        "reason": reason if row is old else "对应的录入已撤销，核定作废",
                        "operator": operator,
                        "at": now_text(),
                    },
                )

    def _paper(self, paper_id: int) -> PaperRecord:
        history = self._papers("p.id = ?", (paper_id,))
        if not history:
            raise ElectionFileError(f"没有编号为 {paper_id} 的选票")
        return history[0]

    def _papers(self, where: str, params: tuple[object, ...]) -> list[PaperRecord]:
        rows = self._connection.execute(
            "SELECT p.id, p.round_id, p.entry_no, p.marks, p.void_reason, p.supersedes, p.operator,"
            " p.entered_at, (SELECT 1 FROM papers n WHERE n.supersedes = p.id),"
            " (SELECT 1 FROM paper_withdrawals w WHERE w.paper_id = p.id), p.entry_pass, p.box,"
            " EXISTS (SELECT 1 FROM scan_pages s WHERE s.paper_id = p.id)"
            f" FROM papers p WHERE {where} ORDER BY p.box, p.entry_no, p.entry_pass, p.id",
            params,
        ).fetchall()
        write_ins: dict[int, list[tuple[WriteIn, int | None]]] = {}
        if rows:
            ids = [r[0] for r in rows]
            low, high = min(ids), max(ids)
            for paper_id, name, marked, person_id in self._connection.execute(
                "SELECT paper_id, name, marked, person_id FROM paper_write_ins"
                " WHERE paper_id BETWEEN ? AND ? ORDER BY paper_id, ordinal",
                (low, high),
            ):
                write_ins.setdefault(int(paper_id), []).append(
                    (WriteIn(name, bool(marked)), person_id)
                )
        result = []
        for (
            paper_id,
            round_id,
            entry_no,
            marks,
            void,
            supersedes,
            operator,
            at,
            corrected,
            withdrawn,
            entry_pass,
            box,
            scanned,
        ) in rows:
            extras = write_ins.get(paper_id, [])
            state = (
                PaperState.CORRECTED
                if corrected
                else PaperState.WITHDRAWN
                if withdrawn
                else PaperState.COUNTED
            )
            result.append(
                PaperRecord(
                    paper_id,
                    round_id,
                    entry_no,
                    BallotPaper(decode_marks(marks), tuple(w for w, _ in extras), void),
                    tuple(p for _, p in extras),
                    supersedes,
                    operator,
                    at,
                    state,
                    int(entry_pass),
                    str(box),
                    bool(scanned),
                )
            )
        return result

    def paper_history(self, round_id: int) -> list[PaperRecord]:
        """Every row ever entered for the round, corrected and withdrawn ones included."""
        return self._papers("p.round_id = ?", (round_id,))

    def papers(self, round_id: int) -> list[PaperRecord]:
        """The papers that count, in entry order; in a double-entry round only those both
        operators read alike, or that the scrutineers settled."""
        if self.round(round_id).double_entry:
            return list(self.double_entry(round_id).counted)
        return [p for p in self.paper_history(round_id) if p.state is PaperState.COUNTED]

    def double_entry(self, round_id: int) -> DoubleEntry:
        """双人录入核对: pair the two passes by entry number; a settled reading wins."""
        return pair_passes(self.paper_history(round_id))

    # ---- ballot boxes counted on other stations (分箱计票) -------------------------

    @property
    def election_id(self) -> str:
        """The hash of the file's first audit entry: the same in every copy of one election."""
        first = self._connection.execute("SELECT hash FROM audit_log WHERE seq = 1").fetchone()
        if first is None:
            raise ElectionFileError("选举文件没有审计记录")
        return str(first[0])

    def box_identity(self) -> BoxIdentity | None:
        """Which box this file counts, when it is a box copy; None on the main station."""
        row = self._connection.execute(
            "SELECT box_id, number, name, main_hash FROM box_identity WHERE id = 1"
        ).fetchone()
        return (
            None if row is None else BoxIdentity(str(row[0]), int(row[1]), str(row[2]), str(row[3]))
        )

    def issued_boxes(self) -> list[IssuedBox]:
        """Every box copy this (main) station has issued, by number."""
        rows = self._connection.execute(
            "SELECT id, number, name, start_hash, copy_name, issued_by, issued_at FROM boxes"
            " ORDER BY number"
        )
        return [
            IssuedBox(str(i), int(n), str(m), str(h), str(c), str(b), str(a))
            for i, n, m, h, c, b, a in rows
        ]

    def next_box_name(self) -> str:
        number = int(self._one("SELECT COALESCE(MAX(number), 0) + 1 FROM boxes")[0])  # type: ignore[arg-type]
        return f"第{number}票箱"

    def issue_box(self, operator: str, target: Path, name: str = "") -> IssuedBox:
        """为一个票箱复制选举文件: a copy of this file that knows it is box ``name`` (its own
        audited entry in the copy), recorded here with its id and the copy's starting hash.

        The copy is finished beside the target first; if recording it here fails, no copy
        is left, so every box copy that exists is one the main station knows.
        """
        if self.read_only:
            raise ReadOnlyError(f"{self.path} 以只读方式打开，不能复制票箱文件")
        identity = self.box_identity()
        if identity is not None:
            raise ElectionFileError(
                f"本文件是票箱“{identity.name}”的计票文件：票箱文件只能由主计票机复制"
            )
        if not operator.strip():
            raise ElectionFileError("请先填写操作员姓名")
        number = int(self._one("SELECT COALESCE(MAX(number), 0) + 1 FROM boxes")[0])  # type: ignore[arg-type]
        name = normalize_name(name) or f"第{number}票箱"
        if self._connection.execute("SELECT 1 FROM boxes WHERE name = ?", (name,)).fetchone():
            raise ElectionFileError(f"已经复制过名为“{name}”的票箱文件：请换一个票箱名称")
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ElectionFileError("票箱文件不能覆盖主计票机正在使用的选举文件")
        box_id = uuid.uuid4().hex
        partial = target.with_name(target.name + ".box-part")
        self.copy_to(partial)
        try:
            with ElectionFile.open(partial) as copy:
                with copy._write(operator, f"本文件是{name}的计票文件（由主计票机复制）") as tx:
                    tx.insert(
                        "box_identity",
                        {
                            "id": 1,
                            "box_id": box_id,
                            "number": number,
                            "name": name,
                            "main_hash": self.chain_hash,
                            "papers_before": int(
                                self._one("SELECT COALESCE(MAX(id), 0) FROM papers")[0]  # type: ignore[arg-type]
                            ),
                            "marked_at": now_text(),
                        },
                    )
                start_hash = copy.chain_hash
            issued = IssuedBox(
                box_id, number, name, start_hash, target.name, operator.strip(), now_text()
            )
            with self._write(operator, f"为{name}复制选举文件 {target.name}") as tx:
                tx.insert(
                    "boxes",
                    {
                        "id": box_id,
                        "number": number,
                        "name": name,
                        "start_hash": start_hash,
                        "copy_name": target.name,
                        "issued_by": issued.issued_by,
                        "issued_at": issued.issued_at,
                    },
                )
        except BaseException:
            # Not recorded here: no box copy may exist that the main station does not know.
            for suffix in ("", "-wal", "-shm", ".lock"):
                partial.with_name(partial.name + suffix).unlink(missing_ok=True)
            raise
        try:
            safe_files.replace(partial, target)  # antivirus may hold the new file a moment
        except OSError as error:
            raise ElectionFileError(
                f"已登记{name}，但无法把票箱文件写到 {target}（{error.strerror}）："
                f"文件留在 {partial.name}，请改名为 {target.name}"
            ) from error
        return issued

    def batch_content(self, round_id: int, station: str) -> dict[str, object]:
        """What a box station hands over: its box (by id), the round, the box's counts and
        every counted paper as keyed (without the digest, which the caller adds)."""
        identity = self.box_identity()
        if identity is None:
            raise ElectionFileError(
                "本文件不是主计票机为票箱复制的文件，不能导出票箱的计票结果："
                "请在主计票机上用“分箱计票 → 为一个票箱复制选举文件…”复制票箱文件，在那份文件上计票"
            )
        record = self.round(round_id)
        contest = self.contest(record.contest_id)
        if record.papers_collected is None:
            raise ElectionFileError("请先登记本箱收回的选票数")
        # Only what was counted in this copy: papers already in the file when it was copied
        # (the main station's own, or boxes imported there) would otherwise arrive twice.
        before = int(self._one("SELECT papers_before FROM box_identity WHERE id = 1")[0])  # type: ignore[arg-type]
        papers = [p for p in self.papers(round_id) if not p.box and p.id > before]
        if len(papers) != record.papers_collected:
            raise ElectionFileError(
                f"本箱已录入 {len(papers)} 张，收回 {record.papers_collected} 张，两者不等"
            )
        return {
            "format": BATCH_FORMAT,
            "election": self.election_id,
            "box_id": identity.box_id,
            "box_start": self._box_start_hash(),
            "box_hash": self.chain_hash,
            "contest": contest.ordinal,
            "round": record.number,
            "kind": record.spec.kind.value,
            "candidates": list(record.spec.candidates),
            "box": identity.name,
            "station": station,
            "papers_issued": record.spec.papers_issued,
            "papers_collected": record.papers_collected,
            "papers": [
                {
                    "entry_no": n,
                    "marks": "".join(m.value for m in p.paper.marks),
                    "write_ins": [[w.name, w.marked] for w in p.paper.write_ins],
                    "write_in_people": list(p.write_in_people),
                    "void_reason": p.paper.void_reason,
                    "operator": p.operator,
                    "entered_at": p.entered_at,
                }
                for n, p in enumerate(papers, start=1)
            ],
        }

    def _box_start_hash(self) -> str | None:
        """The chain hash of the entry that made this file a box copy: the copy's first hash,
        which the main station recorded when it issued the box."""
        for chain_hash, changes in self._connection.execute(
            "SELECT hash, changes FROM audit_log WHERE changes LIKE '%box_identity%' ORDER BY seq"
        ):
            if any(c.get("table") == "box_identity" for c in json.loads(changes)):
                return str(chain_hash)
        return None

    def batches(self, round_id: int) -> list[tuple[str, str, int, int, int]]:
        """(box, station, issued, collected, papers) of every box imported into a round."""
        rows = self._connection.execute(
            "SELECT box, station, papers_issued, papers_collected, papers FROM batches"
            " WHERE round_id = ? ORDER BY box",
            (round_id,),
        )
        return [(str(b), str(s), int(i), int(c), int(n)) for b, s, i, c, n in rows]

    def box_imports(self, round_id: int) -> list[BoxImport]:
        """Every box imported into a round, with the papers of it that count now."""
        counted: dict[str, int] = {}
        for paper in self.papers(round_id):
            if paper.box:
                counted[paper.box] = counted.get(paper.box, 0) + 1
        rows = self._connection.execute(
            "SELECT id, box_id, box, station, papers_issued, papers_collected, papers, box_hash,"
            " imported_at FROM batches WHERE round_id = ? ORDER BY box",
            (round_id,),
        ).fetchall()
        return [
            BoxImport(
                int(i),
                None if b is None else str(b),
                str(n),
                str(s),
                int(pi),
                int(pc),
                int(p),
                counted.get(str(n), 0),
                None if h is None else str(h),
                str(at),
            )
            for i, b, n, s, pi, pc, p, h, at in rows
        ]

    def _batch_round(self, content: Mapping[str, object]) -> RoundRecord:
        contest = next((c for c in self.contests() if c.ordinal == content.get("contest")), None)
        if contest is None:
            raise ElectionFileError("找不到分箱计票文件中的选举项目")
        record = next(
            (r for r in self.rounds(contest.id) if r.number == content.get("round")), None
        )
        if (
            record is None
            or list(record.spec.candidates) != content.get("candidates")
            or record.spec.kind.value != content.get("kind")
        ):
            raise ElectionFileError(
                "主计票机上没有与分箱计票文件一致的投票轮次（候选人或轮次类别不同）"
            )
        return record

    def _batch_box(self, content: Mapping[str, object]) -> IssuedBox:
        box_id = content.get("box_id")
        box = next((b for b in self.issued_boxes() if b.id == box_id), None)
        if box is None:
            raise ElectionFileError(
                "这个分箱计票文件来自本机没有复制过的票箱文件：只能导入由本机"
                "“分箱计票 → 为一个票箱复制选举文件…”复制出的票箱的结果"
            )
        if content.get("box_start") != box.start_hash:
            raise ElectionFileError(
                f"这个分箱计票文件自称是{box.name}，但它的起始校验码与本机复制{box.name}时"
                "登记的不符：它不是本机复制的那份票箱文件"
            )
        return box

    def import_batch(
        self,
        operator: str,
        content: Mapping[str, object],
        digest: str,
        replace_confirmed_by: str | None = None,
    ) -> bool:
        """Add a box's papers to the matching round, all in one transaction.

        The box must be one this station issued and the batch must come from that copy.
        The same batch twice changes nothing (returns False). A different batch of a box
        already imported into the round replaces the earlier import only when a 监票人 is
        named in ``replace_confirmed_by``; without one, :class:`BatchReplacement` says what
        would change. Every paper is checked before anything is written.
        """
        if content.get("format") == OLD_BATCH_FORMAT:
            raise ElectionFileError(
                "这个分箱计票文件是旧版程序导出的，没有票箱编号，无法确认它是哪一个票箱，"
                "不能导入：请在票箱的计票机上用本版程序重新导出"
                "（票箱文件须由主计票机“为一个票箱复制选举文件…”复制）"
            )
        if content.get("format") != BATCH_FORMAT:
            raise ElectionFileError("不是本程序导出的分箱计票文件")
        if content.get("election") != self.election_id:
            raise ElectionFileError("这个分箱计票文件属于另一场选举，不能导入")
        own = self.box_identity()
        if own is not None:
            raise ElectionFileError(
                f"本文件是{own.name}的计票文件：票箱的计票结果只能导入主计票机的选举文件"
            )
        record = self._batch_round(content)
        box = self._batch_box(content)
        existing = self._box_import(record.id, box.id)
        if existing is not None and existing[1] == digest:
            return False
        if (
            existing is None
            and self._connection.execute(
                "SELECT 1 FROM batches WHERE round_id = ? AND box = ?", (record.id, box.name)
            ).fetchone()
        ):
            raise ElectionFileError(
                f"本轮已经导入过一个也叫“{box.name}”的票箱（旧版程序的文件，没有票箱编号）："
                "如果是同一个票箱，请先在“票箱一览”中移除那次导入，再导入这一份"
            )
        self._require_open(record.id)
        known_people = {int(row[0]) for row in self._connection.execute("SELECT id FROM people")}
        try:
            issued, collected, parsed = check_box_papers(
                content, len(record.spec.candidates), known_people
            )
        except BatchError as error:
            raise ElectionFileError(f"{box.name}的计票结果有误，没有导入：{error}") from error
        box_hash = content.get("box_hash")
        if not (isinstance(box_hash, str) and len(box_hash) == 64):
            raise ElectionFileError(f"{box.name}的计票结果不完整（缺少票箱文件的校验码），没有导入")
        who = (replace_confirmed_by or "").strip()
        if existing is not None and not who:
            raise BatchReplacement(
                box.name,
                self._box_figures(
                    record,
                    [p for p in self.papers(record.id) if p.box == box.name],
                    existing[2],
                    existing[3],
                ),
                self._box_figures(record, parsed, issued, collected),
            )
        row = {
            "round_id": record.id,
            "box": box.name,
            "box_id": box.id,
            "station": str(content.get("station", "")),
            "digest": digest,
            "papers_issued": issued,
            "papers_collected": collected,
            "papers": len(parsed),
            "box_hash": box_hash,
            "imported_at": now_text(),
        }
        if existing is None:
            action = f"导入{box.name}（{len(parsed)} 张）"
        else:
            action = (
                f"替换{box.name}的导入（原 {existing[4]} 张，现 {len(parsed)} 张），"
                f"监票人 {who} 确认"
            )
        with self._write(operator, action) as tx:
            previous = 0
            if existing is not None:
                previous = existing[3]
                self._take_back_box(
                    tx, record.id, box.name, operator, f"{box.name}重新导入，由新的计票结果替换"
                )
                tx.changes.append({"op": "note", "confirmed_by": who})
                tx.update("batches", {"id": existing[0]}, row)
            else:
                tx.insert("batches", row)
            for paper in parsed:
                self._insert_paper(
                    tx,
                    record.id,
                    paper.entry_no,
                    paper.paper,
                    paper.write_in_people,
                    paper.operator,
                    None,
                    1,
                    box.name,
                )
            self._add_collected(tx, record, collected - previous)
        return True

    def remove_box_import(
        self, operator: str, round_id: int, box_name: str, confirmed_by: str, reason: str
    ) -> int:
        """Take an imported box out of a round: its papers are withdrawn (they stay on
        record), its collected papers leave the round's total; a 监票人 confirms. Returns
        the number of papers taken back."""
        record = self._require_open(round_id)
        who = confirmed_by.strip()
        if not who:
            raise ElectionFileError("移除票箱的导入须由监票人确认：请填写监票人姓名")
        if not reason.strip():
            raise ElectionFileError("请写明移除票箱导入的理由")
        row = self._connection.execute(
            "SELECT id, papers_collected FROM batches WHERE round_id = ? AND box = ?",
            (round_id, box_name),
        ).fetchone()
        if row is None:
            raise ElectionFileError(f"第 {record.number} 轮没有导入过“{box_name}”")
        count = sum(1 for p in self.papers(round_id) if p.box == box_name)
        with self._write(
            operator, f"移除{box_name}的导入（{count} 张），监票人 {who} 确认：{reason.strip()}"
        ) as tx:
            self._take_back_box(
                tx, round_id, box_name, operator, f"{box_name}的导入已移除：{reason.strip()}"
            )
            tx.changes.append({"op": "note", "confirmed_by": who})
            tx.delete("batches", {"id": int(row[0])})
            self._add_collected(tx, record, -int(row[1]))
        return count

    def _box_import(self, round_id: int, box_id: str) -> tuple[int, str, int, int, int] | None:
        """(row id, digest, issued, collected, papers) of a box's import into a round."""
        row = self._connection.execute(
            "SELECT id, digest, papers_issued, papers_collected, papers FROM batches"
            " WHERE round_id = ? AND box_id = ?",
            (round_id, box_id),
        ).fetchone()
        return (
            None
            if row is None
            else (int(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]))
        )

    def _take_back_box(
        self, tx: Transaction, round_id: int, box_name: str, operator: str, reason: str
    ) -> None:
        for paper in self.paper_history(round_id):
            if paper.box == box_name and paper.state is PaperState.COUNTED:
                tx.insert(
                    "paper_withdrawals",
                    {
                        "paper_id": paper.id,
                        "reason": reason,
                        "operator": operator,
                        "at": now_text(),
                    },
                )

    def _add_collected(self, tx: Transaction, record: RoundRecord, difference: int) -> None:
        """收回 of the round follows its boxes: what a box collected is added on import and
        taken off when the box is removed (the main station's own papers stay as registered)."""
        if difference == 0:
            return
        total = (record.papers_collected or 0) + difference
        tx.update("rounds", {"id": record.id}, {"papers_collected": total if total > 0 else None})

    def _box_figures(
        self,
        record: RoundRecord,
        papers: Sequence[PaperRecord | BoxPaper],
        issued: int,
        collected: int,
    ) -> BoxFigures:
        tally = RoundTally(record.spec, self.plan().counting)
        tally.add_many(p.paper for p in papers)
        result = tally.result(frozenset())
        return BoxFigures(
            issued,
            collected,
            len(papers),
            result.valid_papers,
            tuple((v.name, v.approvals) for v in result.votes),
        )

    # ---- counting and results ----------------------------------------------------

    def not_electable(self, round_id: int) -> frozenset[str]:
        """R1/R6: names on this round's papers whose person has no right to be elected.

        A write-in matched to nobody on the roster cannot be elected either.
        """
        people = {record.id: record for record in self.people()}
        by_name: dict[str, list[int]] = {}
        for record in people.values():
            by_name.setdefault(normalize_name(record.person.name), []).append(record.id)

        def electable(person_id: int | None, name: str) -> bool:
            if person_id is None:
                matches = by_name.get(normalize_name(name), [])
                if len(matches) != 1:
                    return False
                person_id = matches[0]
            record = people.get(person_id)
            return record is not None and person_rights(record.person).be_elected

        blocked = set()
        round_record = self.round(round_id)
        for person_id, name in zip(
            round_record.candidate_people, round_record.spec.candidates, strict=True
        ):
            if person_id is not None and not electable(person_id, name):
                blocked.add(name)
        for name, person_id in self._connection.execute(
            "SELECT DISTINCT w.name, w.person_id FROM paper_write_ins w JOIN papers p ON p.id = w.paper_id"
            " WHERE p.round_id = ?",
            (round_id,),
        ):
            if round_record.spec.index_of(name) is None and not electable(person_id, name):
                blocked.add(name)
        return frozenset(blocked)

    def tally(self, round_id: int, counted: Sequence[PaperRecord] | None = None) -> RoundTally:
        """A running tally of the round's counted papers, ready for more (the live count);
        ``counted`` when the caller has just read them, so they are not read twice."""
        record = self.round(round_id)
        tally = RoundTally(record.spec, self.plan().counting)
        tally.add_many(p.paper for p in (self.papers(round_id) if counted is None else counted))
        return tally

    def count(self, round_id: int) -> RoundResult:
        """The round's result from its stored papers (R4–R9).

        A closed round is counted with the options and rights in force when it was
        closed (kept with its result), so later edits of the plan or the roster
        never change a decided result.
        """
        snapshot = self._snapshot(round_id)
        if snapshot is None:
            return self.tally(round_id).result(self.not_electable(round_id))
        options, blocked = snapshot
        record = self.round(round_id)
        tally = RoundTally(record.spec, options)
        tally.add_many(p.paper for p in self.papers(round_id))
        return tally.result(blocked)

    def _snapshot(self, round_id: int) -> tuple[CountOptions, frozenset[str]] | None:
        stored = self.stored_figures(round_id)
        if stored is None:
            return None
        basis = json.loads(stored)["basis"]
        options = CountOptions(
            WriteInWithoutMark(basis["writein_without_mark"]),
            bool(basis["tie_break_requires_majority"]),
        )
        return options, frozenset(basis["not_electable"])

    def close_round(self, operator: str, round_id: int) -> RoundResult:
        """End entry: every collected paper must have been entered; the result is stored."""
        record = self._require_open(round_id)
        if record.double_entry:
            check = self.double_entry(round_id)
            if check.unsettled:
                raise ElectionFileError(
                    f"双人录入还有 {len(check.mismatches)} 张不一致、{len(check.pending)} 张只录了一遍，"
                    "核对之后才能结束计票"
                )
        pending = self.pending_scans(round_id)
        if pending:
            raise ElectionFileError(f"还有 {pending} 张扫描选票待核定，核定之后才能结束计票")
        entered = len(self.papers(round_id))
        if record.papers_collected is None:
            raise ElectionFileError("请先登记收回的选票数")
        if entered != record.papers_collected:
            raise ElectionFileError(
                f"已录入 {entered} 张，收回 {record.papers_collected} 张，两者不等，不能结束计票"
            )
        options = self.plan().counting
        blocked = self.not_electable(round_id)
        tally = RoundTally(record.spec, options)
        tally.add_many(p.paper for p in self.papers(round_id))
        result = tally.result(blocked)
        figures = {
            **result_figures(result),
            "basis": {
                "writein_without_mark": options.writein_without_mark.value,
                "tie_break_requires_majority": options.tie_break_requires_majority,
                "not_electable": sorted(blocked),
            },
        }
        with self._write(operator, f"第 {record.number} 轮计票结束") as tx:
            tx.insert(
                "round_results",
                {
                    "round_id": round_id,
                    "figures": canonical(figures),
                    "decided_at": now_text(),
                    "decided_by": operator,
                },
            )
            tx.update("rounds", {"id": round_id}, {"status": RoundStatus.CLOSED.value})
        return result

    def confirm_round(self, operator: str, round_id: int, confirmed_by: str) -> Path:
        """The scrutineers confirm the result; the round is locked and the file backed up."""
        record = self.round(round_id)
        if record.status is not RoundStatus.CLOSED:
            raise ElectionFileError("只有已结束计票的一轮才能确认结果")
        if not confirmed_by.strip():
            raise ElectionFileError("请填写确认结果的监票人")
        candidates = set(record.spec.candidates) | set(
            self.contest(record.contest_id).contest.candidates
        )
        named = {normalize_name(n) for n in re.split(r"[、，,；;\s]+", confirmed_by) if n}
        if named & candidates:
            raise ElectionFileError(
                f"{'、'.join(sorted(named & candidates))}是本项选举的候选人，不能担任监票人"
            )
        with self._write(operator, f"第 {record.number} 轮结果确认") as tx:
            tx.update(
                "round_results",
                {"round_id": round_id},
                {"confirmed_by": confirmed_by, "confirmed_at": now_text()},
            )
            tx.update("rounds", {"id": round_id}, {"status": RoundStatus.CONFIRMED.value})
        return self.backup(operator, f"第{record.number}轮结果确认")

    def reopen_round(self, operator: str, round_id: int, reason: str) -> None:
        """Unlock a closed or confirmed round: an explicit, audited action."""
        record = self.round(round_id)
        if record.status is RoundStatus.OPEN:
            return
        if not reason.strip():
            raise ElectionFileError("重新打开已结束的一轮须写明理由")
        later = self._connection.execute(
            "SELECT 1 FROM rounds WHERE contest_id = ? AND number > ?",
            (record.contest_id, record.number),
        ).fetchone()
        if later:
            raise ElectionFileError("此后已开始新的一轮，不能重新打开这一轮")
        reduced = self._connection.execute(
            "SELECT 1 FROM seat_reductions WHERE contest_id = ? AND after_round >= ?",
            (record.contest_id, record.number),
        ).fetchone()
        if reduced:
            raise ElectionFileError("这一轮之后大会已决定减少名额，不能重新打开这一轮")
        with self._write(operator, f"重新打开第 {record.number} 轮：{reason}") as tx:
            tx.delete("round_results", {"round_id": round_id})
            tx.update("rounds", {"id": round_id}, {"status": RoundStatus.OPEN.value})

    def stored_figures(self, round_id: int) -> str | None:
        row = self._connection.execute(
            "SELECT figures FROM round_results WHERE round_id = ?", (round_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def reduce_seats(self, operator: str, contest_id: int, seats: int, decision: str) -> None:
        """R9 alternative: the meeting reduces the seats instead of a by-election."""
        rounds = self.rounds(contest_id)
        if any(r.status is not RoundStatus.CONFIRMED for r in rounds):
            raise ElectionFileError("本轮结果确认之后，才能决定减少名额")
        if self._connection.execute(
            "SELECT 1 FROM seat_reductions WHERE contest_id = ?", (contest_id,)
        ).fetchone():
            raise ElectionFileError("本项选举已经决定过减少名额")
        reduction = SeatReduction(seats, decision, len(rounds))
        try:
            contest_progress(
                self.contest(contest_id).contest, self._decided_results(contest_id), reduction
            )
        except ValueError as error:
            raise ElectionFileError(str(error)) from error
        with self._write(operator, "决定减少名额") as tx:
            tx.insert(
                "seat_reductions",
                {
                    "contest_id": contest_id,
                    "seats": seats,
                    "after_round": len(rounds),
                    "decision": decision,
                    "operator": operator,
                    "at": now_text(),
                },
            )

    def _decided_results(self, contest_id: int) -> list[RoundResult]:
        return [
            self.count(r.id) for r in self.rounds(contest_id) if r.status is RoundStatus.CONFIRMED
        ]

    def contest_progress(self, contest_id: int) -> ContestProgress:
        """Where the contest stands after its confirmed rounds (R4, R8, R9)."""
        record = self.contest(contest_id)
        row = self._connection.execute(
            "SELECT seats, decision, after_round FROM seat_reductions WHERE contest_id = ?",
            (contest_id,),
        ).fetchone()
        reduction = None if row is None else SeatReduction(int(row[0]), str(row[1]), int(row[2]))
        return contest_progress(record.contest, self._decided_results(contest_id), reduction)

    # ---- roster import: new people and updates of people already there ------------
    # Kept as one block at the end of the class: an import that meets people already on
    # the roster updates them instead of adding them a second time.

    def import_people(
        self,
        operator: str,
        new_people: Sequence[Mapping[str, object]],
        updates: Sequence[tuple[int, Mapping[str, object]]],
        action: str,
    ) -> list[int]:
        """A roster import as one audited action (all or nothing): ``new_people`` added as
        :meth:`add_people` does, each ``(person id, fields)`` of ``updates`` changed as
        :meth:`update_person` does (R1, R2: nobody is on the roster twice). Returns the
        ids of the people added."""
        allowed = {
            "gender", "birth", "joined", "confirmed", "status", "discipline",
            "employment", "local_relation", "contact", "note",
        }  # fmt: skip
        for _, values in updates:
            unknown = set(values) - allowed
            if unknown:
                raise ValueError(f"unknown person fields {sorted(unknown)}")

        def stored(value: object) -> object:
            if isinstance(value, MemberStatus | Discipline):
                return value.value
            if isinstance(value, date):
                return value.isoformat()
            return int(value) if isinstance(value, bool) else value

        ids = []
        with self._write(operator, action) as tx:
            for values in new_people:
                row = tx.insert("people", self._person_values(values))
                ids.append(int(row["id"]))  # type: ignore[arg-type]
            for person_id, values in updates:
                if values:
                    tx.update(
                        "people", {"id": person_id}, {k: stored(v) for k, v in values.items()}
                    )
        return ids

    # ---- meeting record (会议记录) ---------------------------------------------------
    # The fields the minutes need beyond date, place and chair (schema version 4): who
    # kept the record, who attended for the higher Party organisation, start and end.

    def update_meeting_record(self, operator: str, kind: str, **values: object) -> None:
        """Set any of held_on, place, chair, recorder, delegate, starts_at and ends_at
        (``"HH:MM"`` or ``""``); one audit entry, none when nothing changes."""
        from gongtui_desktop.store.schema import MEETING_RECORD_FIELDS

        allowed = {"held_on", "place", "chair", *MEETING_RECORD_FIELDS}
        if set(values) - allowed:
            raise ValueError(f"unknown meeting fields {sorted(set(values) - allowed)}")
        stored: dict[str, object] = {}
        for key, value in values.items():
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = value.strip()
            stored[key] = value
        for key in ("starts_at", "ends_at"):
            text = stored.get(key)
            if isinstance(text, str) and text:
                hours, _, minutes = text.partition(":")
                if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
                    raise ElectionFileError(f"时间“{text}”应写成 时:分，例如 09:00")
                if int(hours) > 23 or int(minutes) > 59:
                    raise ElectionFileError(f"时间“{text}”不存在")
                stored[key] = f"{int(hours):02d}:{minutes}"
        current = self.meeting_record(kind)
        changed = {k: v for k, v in stored.items() if current.get(k) != v}
        merged = {**current, **changed}
        if merged["starts_at"] and merged["ends_at"] and merged["ends_at"] < merged["starts_at"]:
            raise ElectionFileError(
                f"结束时间 {merged['ends_at']} 早于开始时间 {merged['starts_at']}"
            )
        if not changed:
            return
        with self._write(operator, "修改会议记录信息") as tx:
            tx.update("meetings", {"kind": kind}, changed)

    def meeting_record(self, kind: str) -> dict[str, object]:
        """held_on (ISO date or None), place, chair, recorder, delegate, starts_at, ends_at."""
        row = self._one(
            "SELECT held_on, place, chair, recorder, delegate, starts_at, ends_at"
            " FROM meetings WHERE kind = ?",
            (kind,),
        )
        keys = ("held_on", "place", "chair", "recorder", "delegate", "starts_at", "ends_at")
        return dict(zip(keys, row, strict=True))
