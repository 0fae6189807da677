"""The archive packet: every document, the workbook, the forms, a consistent copy of the
election file, the audit log as CSV and MANIFEST.txt with the SHA-256 of every file,
as a folder and a .zip of it (issue #8).

Two exports of the same file differ only in the export time: file names, order and
contents are derived from the election file alone, and the time is passed in once.

Nothing is exported from a file that fails ``verify``: the same checks run first, inside
the read transaction every document is then written from, so a count changed outside the
program (which the documents would recount and publish) is refused, not published.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gongtui_desktop.reports import documents
from gongtui_desktop.reports.forms import (
    write_ballots,
    write_evaluation_form,
    write_recommendation_form,
)
from gongtui_desktop.reports.workbook import write_workbook
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import VerifyReport, checked_snapshot

Progress = Callable[[int, int, str], None]
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
BALLOT_COPIES = 1


class PacketError(ElectionFileError):
    """The packet could not be written; nothing half-written is left behind."""


class PacketRefused(PacketError):
    """The election file failed verification: nothing was written; ``report`` says why."""

    def __init__(self, report: VerifyReport) -> None:
        super().__init__(
            f"选举文件未通过校验，没有导出任何材料。{report.first_wrong()}。"
            "请用 gongtui-desktop verify 查看全部问题，"
            "或用 backups 文件夹中的备份核对、恢复后再导出。"
        )
        self.report = report


def safe_name(text: str) -> str:
    """A file name every system accepts: no <>:"/\\|?* or control characters, no trailing
    dot or blank, not a reserved Windows device name."""
    cleaned = WINDOWS_FORBIDDEN.sub("_", text).strip().rstrip(". ")
    if not cleaned:
        cleaned = "选举"
    if cleaned.split(".")[0].upper() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:120]


@dataclass(frozen=True)
class Packet:
    folder: Path
    archive: Path
    files: tuple[str, ...]
    finished: bool
    chain_hash: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fix_zip_times(path: Path, stamp: datetime) -> None:
    """.docx and .xlsx are zips whose entries carry the time of writing; give them the
    export time, so the same election exported at the same time gives the same bytes."""
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    partial = path.with_name(path.name + ".zip-part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)
    partial.replace(path)


def _audit_csv(election: ElectionFile, path: Path) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["序号", "时间", "操作员", "操作", "改动内容", "前一条校验值", "本条校验值"]
        )
        for entry in election.audit_entries():
            writer.writerow(
                [
                    entry.seq,
                    entry.at,
                    entry.operator,
                    entry.action,
                    entry.changes,
                    entry.prev_hash,
                    entry.hash,
                ]
            )
    return path


def _steps(election: ElectionFile, stamp: datetime) -> list[tuple[str, Callable[[Path], Path]]]:
    """(file name, writer) of everything in the packet, in a fixed order."""
    steps: list[tuple[str, Callable[[Path], Path]]] = [
        ("01-选举大会会议记录.docx", lambda p: documents.write_minutes(election, p)),
        ("02-选举结果报告.docx", lambda p: documents.write_result_report(election, p)),
    ]
    for facts in documents.rounds_of(election):
        title = safe_name(facts.contest.contest.display_title)
        name = (
            f"03-计票结果报告单-{facts.contest.ordinal:02d}{title}-第{facts.record.number}轮.docx"
        )
        steps.append((name, lambda p, f=facts: documents.write_tally_report(election, f, p)))
    steps += [
        ("04-民主推荐情况汇总.docx", lambda p: documents.write_recommendation_summary(election, p)),
        ("05-资格审查情况.docx", lambda p: documents.write_review_summary(election, p)),
        ("06-民主测评情况汇总.docx", lambda p: documents.write_evaluation_summary(election, p)),
        ("07-工作总结（初稿）.docx", lambda p: documents.write_work_summary(election, p)),
        ("08-计票统计表.xlsx", lambda p: write_workbook(election, p, stamp)),
    ]
    for record in election.contests():
        title = safe_name(record.contest.display_title)
        rounds = election.rounds(record.id)
        for round_record in rounds or [None]:
            number = 1 if round_record is None else round_record.number
            round_id = None if round_record is None else round_record.id
            if record.contest.candidates or round_record is not None:
                name = f"09-选票-{record.ordinal:02d}{title}-第{number}轮.docx"
                steps.append(
                    (
                        name,
                        lambda p, c=record.id, r=round_id: write_ballots(
                            election, c, r, BALLOT_COPIES, p
                        ),
                    )
                )
    if election.recommendation_seats():
        steps.append(("10-推荐票.docx", lambda p: write_recommendation_form(election, 1, p)))
    if election.evaluation_candidates():
        steps.append(("11-测评表.docx", lambda p: write_evaluation_form(election, 1, p)))
    steps.append(("选举文件副本.gongtui", election.copy_to))
    steps.append(("审计日志.csv", lambda p: _audit_csv(election, p)))
    return steps


def export_packet(
    election_path: Path,
    outdir: Path,
    stamp: datetime | None = None,
    progress: Progress | None = None,
) -> Packet:
    """Write the packet of ``election_path`` into ``outdir``: ``NAME-归档材料/`` and ``.zip``.

    The election file is opened read-only (it may be open for counting meanwhile). On any
    failure nothing is left: the packet is built in a temporary folder and moved at the end.
    """
    stamp = stamp or datetime.now().astimezone()
    outdir = Path(outdir)
    if progress is not None:
        progress(0, 1, "校验选举文件")
    # One snapshot for the check and the documents: entries the counting station commits
    # meanwhile are neither checked nor exported.
    with (
        ElectionFile.open(election_path, read_only=True) as election,
        checked_snapshot(election) as report,
    ):
        if not report.ok:
            raise PacketRefused(report)
        return _write_packet(election, outdir, stamp, progress)


def _write_packet(
    election: ElectionFile, outdir: Path, stamp: datetime, progress: Progress | None
) -> Packet:
    title = safe_name(str(election.election_details()["title"]))
    folder = outdir / f"{title}-归档材料"
    archive = folder.with_suffix(".zip")
    working = outdir / f".{folder.name}.part"
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        if working.exists():
            shutil.rmtree(working)
        working.mkdir()
    except OSError as error:
        raise PacketError(
            f"无法在 {outdir} 写入归档材料（{error.strerror}）：请选择可写的文件夹"
        ) from error
    try:
        steps = _steps(election, stamp)
        finished = documents.election_finished(election)
        names: list[str] = []
        for number, (name, writer) in enumerate(steps, start=1):
            if progress is not None:
                progress(number - 1, len(steps) + 2, name)
            writer(working / name)
            if name.endswith((".docx", ".xlsx")):
                _fix_zip_times(working / name, stamp)
            names.append(name)
        manifest = working / "MANIFEST.txt"
        lines = [
            f"归档材料：{election.election_details()['title']}",
            f"导出时间：{stamp.isoformat(timespec='seconds')}",
            f"选举状态：{'已完成' if finished else '未完成'}",
            f"审计链校验码：{election.short_hash}（完整：{election.chain_hash}）",
            "核对方法：gongtui-desktop verify 选举文件副本.gongtui --expect 校验码",
            "",
            "SHA-256  文件",
            *(f"{_sha256(working / name)}  {name}" for name in names),
        ]
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(manifest.name)
        if progress is not None:
            progress(len(steps), len(steps) + 2, "打包 zip")
        partial_zip = outdir / f".{archive.name}.part"
        with zipfile.ZipFile(partial_zip, "w", zipfile.ZIP_DEFLATED) as bundle:
            when = stamp.timetuple()[:6]
            for name in names:
                info = zipfile.ZipInfo(f"{folder.name}/{name}", date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, (working / name).read_bytes())
        if folder.exists():
            shutil.rmtree(folder)
        working.replace(folder)
        partial_zip.replace(archive)
    except OSError as error:
        shutil.rmtree(working, ignore_errors=True)
        (outdir / f".{archive.name}.part").unlink(missing_ok=True)
        where = f"：{error.filename}" if error.filename else ""
        raise PacketError(
            f"写入归档材料失败（{error.strerror or error}{where}）：没有留下不完整的文件"
        ) from error
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    if progress is not None:
        progress(len(steps) + 2, len(steps) + 2, "完成")
    return Packet(folder, archive, tuple(names), finished, election.chain_hash)
