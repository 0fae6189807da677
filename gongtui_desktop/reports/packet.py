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
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gongtui_desktop import __version__, safe_files
from gongtui_desktop.reports import documents
from gongtui_desktop.reports.forms import (
    write_ballots,
    write_evaluation_form,
    write_recommendation_form,
)
from gongtui_desktop.reports.workbook import write_workbook
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import VerifyReport, checked_snapshot, verify_file

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
# The title in the folder and file names: the rest of each name adds about 25 characters.
TITLE_LIMIT = 40
MANIFEST = "MANIFEST.txt"
README = "说明.txt"
ELECTION_COPY = "选举文件副本.gongtui"
# A spreadsheet program opening a CSV runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")


class PacketError(ElectionFileError):
    """The packet could not be written; nothing half-written is left behind."""


class PacketRefused(PacketError):
    """The election file failed verification: nothing was written; ``report`` says why."""

    def __init__(self, report: VerifyReport) -> None:
        super().__init__(
            f"选举文件未通过校验，没有导出任何材料。{report.first_wrong()}。"
            "请用 gongtui-desktop verify（Windows 上为 gongtui-desktop-cli verify）查看全部问题，"
            "或用 backups 文件夹中的备份核对、恢复后再导出。"
        )
        self.report = report


def safe_name(text: str, limit: int = 120) -> str:
    """A file name every system accepts: no <>:"/\\|?* or control characters, no trailing
    dot or blank, not a reserved Windows device name, at most ``limit`` characters."""
    cleaned = WINDOWS_FORBIDDEN.sub("_", text).strip().rstrip(". ")
    if not cleaned:
        cleaned = "选举"
    if cleaned.split(".")[0].upper() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    # Cut, the name must still not end in a dot or blank, which Windows drops.
    return cleaned[:limit].rstrip(". ") or "选举"


def title_part(text: str) -> str:
    """A title as part of a generated name: short enough that the packet's paths stay
    within what Word and Excel open on Windows, however deep the chosen folder."""
    return safe_name(text, TITLE_LIMIT)


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


def _docx_properties(name: str, data: bytes, stamp: datetime) -> bytes | None:
    """A .docx part as the packet keeps it: created and modified at the export time, the
    program as the application, no template thumbnail (None: leave the part out)."""
    if name == "docProps/thumbnail.jpeg":
        return None
    if name == "_rels/.rels":
        text = data.decode("utf-8")
        text = re.sub(r"<Relationship [^>]*docProps/thumbnail\.jpeg[^>]*/>", "", text)
        return text.encode("utf-8")
    if name == "docProps/core.xml":
        when = stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        text = data.decode("utf-8")
        for tag in ("dcterms:created", "dcterms:modified"):
            text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{when}\g<2>", text)
        return text.encode("utf-8")
    if name == "docProps/app.xml":
        text = data.decode("utf-8")
        text = re.sub(
            r"<Application>[^<]*</Application>",
            f"<Application>gongtui-desktop {__version__}</Application>",
            text,
        )
        return text.encode("utf-8")
    return data


def _fix_zip_times(path: Path, stamp: datetime) -> None:
    """.docx and .xlsx are zips whose entries carry the time of writing; give them the
    export time, so the same election exported at the same time gives the same bytes."""
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    if path.suffix == ".docx":
        kept = [(i, _docx_properties(i.filename, d, stamp)) for i, d in entries]
        entries = [(i, d) for i, d in kept if d is not None]
    partial = path.with_name(path.name + ".zip-part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)
    safe_files.replace(partial, path)


def spreadsheet_safe(value: object) -> object:
    """A CSV cell Excel and WPS show as text: one that would start a formula (= + - @, tab,
    carriage return) gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_the_minute(text: str) -> str:
    """Every ISO time in ``text`` cut to the minute (``2026-11-24 16:05``): exported times
    must not order papers or sign-ins finer than a minute."""
    return ISO_TIME.sub(r"\1 \2", text)


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    """A CSV with a BOM (so Excel reads UTF-8), every cell neutralised."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([spreadsheet_safe(value) for value in row])
    return path


def _audit_csv(election: ElectionFile, path: Path) -> Path:
    """The audit log for reading. Times are cut to the minute; the full chain, to the
    millisecond, is in the election file copy, which is what ``verify`` checks."""
    rows: list[list[object]] = [
        ["序号", "时间", "操作员", "操作", "改动内容", "前一条校验值", "本条校验值"]
    ]
    for entry in election.audit_entries():
        rows.append(
            [
                entry.seq,
                to_the_minute(entry.at),
                entry.operator,
                to_the_minute(entry.action),
                to_the_minute(entry.changes),
                entry.prev_hash,
                entry.hash,
            ]
        )
    return write_csv(path, rows)


def readme_text(title: str, short: str) -> str:
    """说明.txt: how to check the packet, with and without the program."""
    return "\n".join(
        [
            f"{title} 归档材料说明",
            "",
            "一、本文件夹的内容",
            f"  {MANIFEST}：本文件夹中每个文件的 SHA-256 校验值（可用 sha256sum -c 直接核对）。",
            f"  {ELECTION_COPY}：选举文件的完整副本，含全部选票记录和审计记录。",
            "  审计日志.csv：审计记录的阅读版，时间只写到分钟；完整记录以选举文件副本为准。",
            "",
            "二、核对方法",
            "  1. 用本程序一次核对全部内容（每个文件的校验值、选举文件副本、校验码）：",
            f"       gongtui-desktop verify 本文件夹或zip文件 --expect {short}",
            "     校验码应与签字的计票结果报告单、投影屏幕上公布的校验码一致。",
            "  2. 没有本程序时，在 Linux 或 macOS 上进入本文件夹运行：",
            f"       sha256sum -c {MANIFEST}",
            "     每个文件应显示“OK”（以 # 开头的说明行不参与核对）。",
            "  3. 在 Windows 上逐个文件运行（命令提示符）：",
            "       certutil -hashfile 文件名 SHA256",
            f"     把显示的校验值与 {MANIFEST} 中同名文件的一行对照，应完全一致。",
            f"  4. 选举文件副本本身的核对：gongtui-desktop verify {ELECTION_COPY} --expect {short}",
            "",
        ]
    )


def _steps(election: ElectionFile, stamp: datetime) -> list[tuple[str, Callable[[Path], Path]]]:
    """(file name, writer) of everything in the packet, in a fixed order."""
    steps: list[tuple[str, Callable[[Path], Path]]] = [
        ("01-选举大会会议记录.docx", lambda p: documents.write_minutes(election, p)),
        ("02-选举结果报告.docx", lambda p: documents.write_result_report(election, p)),
    ]
    if documents.needs_approval_request(election):
        steps.append(
            (
                "02-关于书记副书记选举结果的请示.docx",
                lambda p: documents.write_approval_request(election, p),
            )
        )
    for facts in documents.rounds_of(election):
        title = title_part(facts.contest.contest.display_title)
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
        title = title_part(record.contest.display_title)
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
    steps.append((ELECTION_COPY, election.copy_to))
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
    title = title_part(str(election.election_details()["title"]))
    folder = outdir / f"{title}-归档材料"
    archive = folder.with_suffix(".zip")
    working = outdir / f".{folder.name}.part"
    partial_zip = outdir / f".{archive.name}.part"
    steps = _steps(election, stamp)
    _check_path_lengths(outdir, folder, working, [name for name, _ in steps])
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
        finished = documents.election_finished(election)
        names: list[str] = []
        for number, (name, writer) in enumerate(steps, start=1):
            if progress is not None:
                progress(number - 1, len(steps) + 2, name)
            writer(working / name)
            if name.endswith((".docx", ".xlsx")):
                _fix_zip_times(working / name, stamp)
            names.append(name)
        title_text = str(election.election_details()["title"])
        # CRLF: Notepad before Windows 10 (1809) shows LF-only text as one long line;
        # sha256sum -c and verify accept both.
        _write_lines(working / README, readme_text(title_text, election.short_hash))
        names.append(README)
        manifest = working / MANIFEST
        # Only "# " comment lines and hash lines: sha256sum -c reads it as it is.
        lines = [
            f"# 归档材料：{title_text}",
            f"# 导出时间：{stamp.isoformat(timespec='minutes')}",
            f"# 程序版本：gongtui-desktop {__version__}",
            f"# 选举状态：{'已完成' if finished else '未完成'}",
            f"# 审计链校验码：{election.short_hash}",
            f"# 审计链最终校验值：{election.chain_hash}",
            f"# 核对方法见 {README}",
            *(f"{_sha256(working / name)}  {name}" for name in names),
        ]
        _write_lines(manifest, "\n".join(lines) + "\n")
        names.append(manifest.name)
        if progress is not None:
            progress(len(steps), len(steps) + 2, "打包 zip")
        with zipfile.ZipFile(partial_zip, "w", zipfile.ZIP_DEFLATED) as bundle:
            when = stamp.timetuple()[:6]
            for name in names:
                info = zipfile.ZipInfo(f"{folder.name}/{name}", date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, (working / name).read_bytes())
        _put_in_place(working, folder, partial_zip, archive)
    except OSError as error:
        _discard(working, partial_zip)
        where = f"：{error.filename}" if error.filename else ""
        raise PacketError(
            f"写入归档材料失败（{error.strerror or error}{where}）：没有留下不完整的文件"
        ) from error
    except BaseException:
        _discard(working, partial_zip)
        raise
    if progress is not None:
        progress(len(steps) + 2, len(steps) + 2, "完成")
    return Packet(folder, archive, tuple(names), finished, election.chain_hash)


def _write_lines(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\r\n") as handle:
        handle.write(text)


def _discard(working: Path, partial_zip: Path) -> None:
    """Remove what this export wrote; one still held is overwritten by the next export and
    must not hide the error that is being reported."""
    shutil.rmtree(working, ignore_errors=True)
    safe_files.remove_file(partial_zip)


def _check_path_lengths(outdir: Path, folder: Path, working: Path, names: list[str]) -> None:
    """Refuse before writing anything when a file of the packet, or its temporary copy
    while it is written, would have a path Word or Excel cannot open on Windows."""
    outdir = Path(os.path.abspath(outdir))
    paths = [outdir / folder.name / name for name in names]
    paths += [outdir / working.name / (name + ".zip-part") for name in names]
    paths += [outdir / f"{folder.name}.zip", outdir / f".{folder.name}.zip.part"]
    longest = safe_files.too_long(paths)
    if longest is not None:
        raise PacketError(safe_files.too_long_message(longest, "归档材料中的文件"))


def _aside(path: Path) -> Path:
    """A free name beside ``path`` for the previous packet while the new one moves in."""
    candidate = path.with_name(f".{path.name}.old")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        # One left by an export that could not remove it (a file in it was still open).
        if candidate.is_dir():
            safe_files.remove_tree(candidate)
        else:
            safe_files.remove_file(candidate)
        if not candidate.exists():
            break
        number += 1
        candidate = path.with_name(f".{path.name}.old{number}")
    return candidate


def _held_message(error: OSError, folder: Path, archive: Path) -> str:
    involved = {str(name) for name in (error.filename, error.filename2) if name}
    what = archive.name if str(archive) in involved else folder.name
    return (
        f"无法替换原来的归档材料“{what}”：其中的文件正被其他程序使用（例如在 Word、WPS 或 "
        "Excel 中打开的文档，或在资源管理器中打开的 zip）。请关闭这些文件后重新导出；"
        f"原来的文件夹和 zip 都没有改动（位置：{folder.parent}）。"
    )


def _put_in_place(working: Path, folder: Path, partial_zip: Path, archive: Path) -> None:
    """Swap the new folder and zip in for the old ones, both or neither.

    Deleting the old folder file by file would stop halfway at a document open in Word
    (Windows cannot delete an open file), and replacing the zip after the folder would
    leave a new folder beside the old zip when the zip is open. So the old ones are first
    renamed aside (a folder holding an open file cannot be renamed either: nothing has
    changed yet), then the new ones renamed in; any failure renames everything back.
    """
    moves: list[tuple[Path, Path]] = [
        (archive, _aside(archive)),
        (folder, _aside(folder)),
        (working, folder),
        (partial_zip, archive),
    ]
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            if source.exists() or source.is_symlink():
                safe_files.replace(source, target)
                done.append((source, target))
    except OSError as error:
        for source, target in reversed(done):
            try:
                safe_files.replace(target, source)
            except OSError:
                # The new folder stays; the old zip stays aside, so no zip disagrees with it.
                raise PacketError(
                    f"归档材料没有完整替换：{folder} 是新导出的，但 zip 没有写出"
                    f"（原来的归档材料在 {folder.parent} 中以“.”开头、以 .old 结尾的文件夹"
                    "和 zip 里）。请关闭正在使用这些文件的程序后重新导出。"
                ) from error
        if isinstance(error, PermissionError):
            raise PacketError(_held_message(error, folder, archive)) from error
        raise
    for _, aside in moves[:2]:
        # Best effort: one still held is removed by the next export.
        if aside.is_dir():
            safe_files.remove_tree(aside)
        elif aside.exists():
            safe_files.remove_file(aside)


@dataclass
class PacketCheck:
    """What ``verify PACKET`` found: ``lines`` to print, ``ok`` when everything agrees."""

    lines: list[str]
    ok: bool
    needs_code: bool = False


def _manifest_entries(text: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(file → hash, comment fields, lines that are neither)."""
    files: dict[str, str] = {}
    fields: dict[str, str] = {}
    bad: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line.lstrip("# ").partition("：")
            fields[key] = value
        elif re.fullmatch(r"[0-9a-f]{64}  .+", line):
            files[line[66:]] = line[:64]
        elif line.strip():
            bad.append(line)
    return files, fields, bad


def verify_packet(path: Path, expect: str | None = None) -> PacketCheck:
    """Check an exported packet (its folder or its zip): every file against MANIFEST, no
    file unlisted, the election file copy by ``verify``, its chain hash against the one in
    MANIFEST, and the printed 校验码 ``expect`` against both."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(path) as bundle:
                for info in bundle.infolist():
                    target = (Path(folder) / info.filename).resolve()
                    if not target.is_relative_to(Path(folder).resolve()):
                        return PacketCheck(
                            [f"{path.name} 中有不安全的路径：{info.filename}"], False
                        )
                bundle.extractall(folder)
            inner = [p for p in Path(folder).iterdir() if p.is_dir()]
            if len(inner) != 1:
                return PacketCheck([f"{path.name} 不是本程序导出的归档材料 zip"], False)
            return verify_packet(inner[0], expect)
    manifest = path / MANIFEST
    if not manifest.is_file():
        return PacketCheck([f"{path} 中没有 {MANIFEST}：不是本程序导出的归档材料"], False)
    files, fields, bad = _manifest_entries(manifest.read_text("utf-8"))
    lines = [f"归档材料：{path}"]
    ok = True
    for line in bad:
        ok = False
        lines.append(f"  {MANIFEST} 中有无法识别的一行：{line}")
    for name, digest in files.items():
        target = path / name
        if not target.is_file():
            ok = False
            lines.append(f"  缺少文件：{name}")
        elif _sha256(target) != digest:
            ok = False
            lines.append(f"  文件已被改动（校验值不符）：{name}")
    present = {p.name for p in path.iterdir() if p.is_file()} - {MANIFEST}
    for name in sorted(present - set(files)):
        ok = False
        lines.append(f"  {MANIFEST} 中没有列出的文件：{name}")
    lines.append(f"文件校验值：{len(files)} 个文件逐一核对" + ("，全部相符" if ok else "，有不符"))
    listed_chain = fields.get("审计链最终校验值", "")
    copy = path / ELECTION_COPY
    if copy.is_file():
        # The printed code must be found in the copy's chain (verify's --expect).
        report = verify_file(copy, expect)
        lines += ["", *report.lines()]
        ok = ok and report.ok
        if listed_chain != report.chain_hash:
            ok = False
            lines.append(f"{MANIFEST} 中的审计链最终校验值与选举文件副本不符")
    else:
        ok = False
        lines.append(f"缺少 {ELECTION_COPY}，无法核对选举记录")
    if expect is None:
        lines.append(
            "未输入校验码：请用 --expect 输入签字的计票结果报告单上的校验码，"
            "才能确认选举记录没有被整体重算"
        )
        return PacketCheck(lines, False, needs_code=True)
    lines.append("结论：归档材料完整，未发现改动。" if ok else "结论：归档材料有问题，见上。")
    return PacketCheck(lines, ok)
