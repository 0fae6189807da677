"""分箱计票: a ballot box counted on another laptop, carried over as a file (issue #10).

Before the vote the main station issues a copy of the election file for each box
(``ElectionFile.issue_box``: the copy knows its box id, the main station records the id
and the copy's starting hash). Each station counts its box in that copy and writes a
batch file naming its box by id; the main station imports the batch files from a USB
stick, once per box and round. A batch carries a SHA-256 over its content, so a changed
file is refused; its papers are checked before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

from gongtui_desktop import safe_files
from gongtui_desktop.store.audit import canonical, short_hash
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

SUFFIX = ".gtbatch"


def digest_of(content: dict[str, object]) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def write_batch(election: ElectionFile, round_id: int, path: Path) -> Path:
    """The box station's papers for ``round_id`` as a batch file (its box is its identity)."""
    content = election.batch_content(round_id, f"{socket.gethostname()}（{election.path.name}）")
    document = {"content": content, "sha256": digest_of(content)}
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        safe_files.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ElectionFileError(f"无法写出分箱计票文件 {path}：{error.strerror}") from error
    return path


def read_batch(path: Path) -> tuple[dict[str, object], str]:
    """The batch's content and its digest, checked: a changed file is refused."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        content, digest = document["content"], str(document["sha256"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ElectionFileError(f"{Path(path).name} 不是完整的分箱计票文件") from error
    if digest_of(content) != digest:
        raise ElectionFileError(
            f"{Path(path).name} 的内容与校验值不符：文件在导出后被改动过，不能导入"
        )
    return content, digest


def import_batch(
    election: ElectionFile, operator: str, path: Path, replace_confirmed_by: str | None = None
) -> str:
    """Import one batch file; the message says what happened. A box already imported with
    other content raises BatchReplacement unless a 监票人 confirmed the replacement."""
    content, digest = read_batch(path)
    if not isinstance(content, dict):
        raise ElectionFileError(f"{Path(path).name} 不是完整的分箱计票文件")
    box = str(content.get("box", ""))
    if election.import_batch(operator, content, digest, replace_confirmed_by):
        count = len(content.get("papers", []))  # type: ignore[arg-type]
        # The box's own 校验码, to compare with the one on the box's signed tally.
        code = short_hash(str(content.get("box_hash", "")))
        check = f"，票箱校验码 {code}（请与该票箱签字的计票结果核对）"
        if replace_confirmed_by:
            return (
                f"已替换票箱“{box}”的导入：现为 {count} 张选票（监票人 {replace_confirmed_by} 确认）"
                + check
            )
        return f"已导入票箱“{box}”：{count} 张选票{check}"
    return f"票箱“{box}”已经导入过，这次没有改动"
