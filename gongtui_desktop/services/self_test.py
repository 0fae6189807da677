"""``gongtui-desktop --self-test``: the whole chain on a demo election, in a temporary folder.

Creates the demo, signs the meeting in, enters the committee's papers, counts, confirms,
hands the secretary contest its candidates, counts it, reads two scanned ballots (PNG and
PDF), exports the archive packet and verifies the copy inside it. Used by the frozen build to prove it is complete (issue #9).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from gongtui_desktop import __version__, safe_files
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.pinyin_data import initials_table
from gongtui_desktop.reports.packet import export_packet
from gongtui_desktop.scanning.synthetic import marked_page, pdf_from_jpegs
from gongtui_desktop.services.demo import COMMITTEE_PAPERS, SECRETARY_PAPERS, write_demo
from gongtui_desktop.services.scanning import ScanCounting, scan_files
from gongtui_desktop.services.station import CountingStation
from gongtui_desktop.store.audit import short_hash
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.verify import verify_file
from gongtui_desktop.stroke_data import stroke_table, tongyong_characters

Check = tuple[str, bool, str]
STEPS = 5


def _check(name: str, action: Callable[[], str]) -> Check:
    try:
        return name, True, action()
    except Exception as error:  # the report must say what failed, whatever it was
        return name, False, f"{type(error).__name__}: {error}"


def run_self_test(folder: Path | None = None) -> list[Check]:
    """Every step's (name, passed, detail); stops at the first failure."""
    results: list[Check] = []
    # Cleaning up must not stop the report: antivirus may hold a file it is scanning.
    with safe_files.temporary_folder() as temporary:
        root = Path(folder or temporary)
        path = root / "自检.gongtui"

        def data() -> str:
            table = stroke_table()
            covered = sum(ch in table for ch in tongyong_characters())
            if covered != 8105 or not initials_table().matches("项上桢", "xsz"):
                raise RuntimeError(f"笔画数据覆盖 {covered}/8105")
            return f"笔画数据 {len(table)} 字，拼音首字母可用"

        def count() -> str:
            write_demo(path)
            with ElectionFile.open(path) as election:
                station = CountingStation(election, "自检")
                committee = election.contests()[0]
                station.select_round(election.rounds(committee.id)[0].id)
                for text in COMMITTEE_PAPERS:
                    station.enter(parse_shorthand(text, len(committee.contest.candidates)))
                result = station.close()
                station.confirm("自检监票人")
                elected = election.contest_progress(committee.id).elected
                if set(elected) != {"项上桢", "郭卫民", "陈晓红"}:
                    raise RuntimeError(f"委员当选 {elected}")
                secretary = election.contests()[1]
                ids = {p.person.name: p.id for p in election.people()}
                election.set_contest_candidates(
                    "自检", secretary.id, [(ids[n], n) for n in ("项上桢", "郭卫民")]
                )
                round_id = election.open_round("自检", secretary.id, present_voters=18)
                station.select_round(round_id)
                election.set_papers_collected("自检", round_id, 18)
                station.refresh_round()
                for text in SECRETARY_PAPERS:
                    station.enter(parse_shorthand(text, 2))
                station.close()
                station.confirm("自检监票人")
            return f"委员 {result.valid_papers} 张有效票，当选 {'、'.join(elected)}；书记选举完成"

        def scanning() -> str:
            # Proves Qt's image plugins, the QR library, numpy and pdfium are in the build: a
            # ballot's QR written as it is printed, and a PNG and a PDF page read back.
            from gongtui_desktop.scanning.imaging import encode
            from gongtui_desktop.scanning.qr import decode, qr_png

            scan_path = root / "扫描自检.gongtui"
            write_demo(scan_path)
            wanted = ("O-XO", "-OO-")
            with ElectionFile.open(scan_path) as election:
                station = CountingStation(election, "自检")
                station.select_round(election.rounds(election.contests()[0].id)[0].id)
                counting = ScanCounting(station)
                layout, code = counting.layout(), counting.expected_code().text
                images = [
                    marked_page(layout, code, [m.replace("-", "") for m in marks], seed=i)
                    for i, marks in enumerate(wanted)
                ]
                folder = root / "扫描"
                folder.mkdir()
                (folder / "1.png").write_bytes(encode(images[0], "PNG"))
                page = encode(images[1], "JPG", 90)
                (folder / "2.pdf").write_bytes(pdf_from_jpegs([page]))
                summary = counting.import_files(scan_files(folder))
                read = tuple("".join(m.value for m in p.paper.marks) for p in station.counted)
            if summary.counted != 2 or read != wanted:
                raise RuntimeError(f"扫描选票读作 {read}，应为 {wanted}")
            from gongtui_desktop.scanning.imaging import decode as decode_image

            printed = decode_image(qr_png(code))
            if printed is None or [text for text, _ in decode(printed)] != [code]:
                raise RuntimeError("选票二维码印制后读不回")
            return "选票二维码可印制、可读回；PNG 和 PDF 各一张扫描选票识别正确"

        def export() -> str:
            packet = export_packet(path, root / "归档")
            if not packet.finished:
                raise RuntimeError("归档材料标为未完成")
            return f"{len(packet.files)} 个文件，{packet.archive.name}"

        def verify() -> str:
            copy = next((root / "归档").glob("*-归档材料")) / "选举文件副本.gongtui"
            for target in (path, copy):
                report = verify_file(target)
                if not report.ok:
                    raise RuntimeError("；".join(p.message for p in report.problems))
            return f"审计链完整，校验码 {short_hash(verify_file(path).chain_hash)}"

        for name, action in (
            ("数据文件", data),
            ("录入和计票", count),
            ("扫描识别", scanning),
            ("导出归档材料", export),
            ("校验", verify),
        ):
            result = _check(name, action)
            results.append(result)
            if not result[1]:
                break
    return results


def report(results: list[Check], seconds: float) -> str:
    lines = [f"公推直选计票 {__version__} 自检"]
    lines += [f"  {'通过' if ok else '失败'}　{name}：{detail}" for name, ok, detail in results]
    passed = all(ok for _, ok, _ in results) and len(results) == STEPS
    lines.append(f"结论：{'全部通过' if passed else '未通过'}（{seconds:.1f} 秒）")
    return "\n".join(lines)


def main() -> int:
    start = time.perf_counter()
    results = run_self_test()
    print(report(results, time.perf_counter() - start))
    return 0 if all(ok for _, ok, _ in results) and len(results) == STEPS else 1
