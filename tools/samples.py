"""Writes docs/samples/: the archive packet of the completed demo election, and PNG pages
of the main documents when LibreOffice and pdftoppm are installed.

    python tools/samples.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gongtui_desktop.reports.packet import export_packet
from gongtui_desktop.services.demo import OPERATOR, write_demo
from gongtui_desktop.store.election_file import ElectionFile

OUT = Path(__file__).resolve().parent.parent / "docs" / "samples"
STAMP = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=8)))
PAGES = (
    "01-选举大会会议记录",
    "02-选举结果报告",
    "02-关于书记副书记选举结果的请示",
    "03-计票结果报告单-01支部委员会委员-第1轮",
    "08-计票统计表",
    "09-选票-01支部委员会委员-第1轮",
)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        election = write_demo(Path(folder) / "演示选举.gongtui", completed=True)
        # What the organisers type on 会议签到 before exporting: the minutes print it.
        with ElectionFile.open(election) as record:
            record.update_meeting_record(
                OPERATOR,
                "election",
                recorder="沈佳怡",
                delegate="区级机关党工委组织委员 王林",
                starts_at="09:00",
                ends_at="11:30",
            )
        packet = export_packet(election, Path(folder) / "out", STAMP)
        if OUT.exists():
            shutil.rmtree(OUT)
        shutil.copytree(packet.folder, OUT / packet.folder.name)
    # MANIFEST.txt lists the election file copy, which the top .gitignore keeps out of the
    # repository; the sample must ship it to pass its own check.
    (OUT / ".gitignore").write_text(
        "# The sample packet lists its election file copy in MANIFEST.txt: ship it.\n!*.gongtui\n",
        encoding="utf-8",
    )
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        pages = OUT / "pages"
        pages.mkdir()
        sources = [
            OUT / packet.folder.name / (n + (".xlsx" if "统计表" in n else ".docx")) for n in PAGES
        ]
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pages),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
        )
        for pdf in sorted(pages.glob("*.pdf")):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "2",
                    str(pdf),
                    str(pdf.with_suffix("")),
                ],
                check=True,
            )
            pdf.unlink()
    print("\n".join(sorted(str(p.relative_to(OUT)) for p in OUT.rglob("*") if p.is_file())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
