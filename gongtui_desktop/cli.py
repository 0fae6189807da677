"""The ``gongtui-desktop`` command: sub-commands for work without a window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gongtui_desktop import __version__
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import verify_file

DESCRIPTION = "公推直选计票：党支部公推直选的离线计票与归档程序"
SUBCOMMANDS = ("verify", "demo", "export")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongtui-desktop",
        description=DESCRIPTION,
        epilog=(
            "其他命令：gongtui-desktop verify 文件；gongtui-desktop demo 文件 [--completed]；"
            "gongtui-desktop export 文件 文件夹"
        ),
    )
    parser.add_argument("--version", action="version", version=f"gongtui-desktop {__version__}")
    parser.add_argument("file", nargs="?", help="要打开的选举文件（.gongtui）；不填则显示开始页")
    parser.add_argument("--demo", action="store_true", help="新建一个演示选举文件并打开")
    parser.add_argument(
        "--self-test", action="store_true", help="自检：在临时文件夹中走完录入、计票、导出和校验"
    )
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongtui-desktop", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", metavar="命令")
    verify = commands.add_parser(
        "verify",
        help="校验选举文件：审计链、数据记录和每一轮的计票结果",
        description="校验选举文件是否完整；完整时退出码为 0。",
    )
    verify.add_argument(
        "file", help="选举文件（.gongtui），或导出的归档材料（文件夹或 zip：会要求输入校验码）"
    )
    verify.add_argument(
        "--expect", metavar="校验码", help="报告上打印的校验码：证明打印之后记录没有被截断"
    )
    demo = commands.add_parser(
        "demo",
        help="写出一个演示选举文件（不打开窗口）",
        description="写出一个演示选举文件：34 人的名册，3 名委员和书记两项选举。",
    )
    demo.add_argument("file", help="要写出的文件（不能已存在）")
    demo.add_argument("--completed", action="store_true", help="全部选票已录入、每一轮已确认结果")
    export = commands.add_parser(
        "export",
        help="导出归档材料（Word、Excel、选票、文件副本、审计日志、MANIFEST 和 zip）",
        description=(
            "先按 verify 的方法校验选举文件，通过后把全部归档材料写入一个文件夹和同名 zip；"
            "未通过校验时不写任何文件，退出码为 1。"
        ),
    )
    export.add_argument("file", help="选举文件（.gongtui）")
    export.add_argument("outdir", help="存放归档材料的文件夹")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SUBCOMMANDS:
        options = _gui_parser().parse_args(argv)
        if options.self_test:
            from gongtui_desktop.services.self_test import main as self_test

            return self_test()
        from gongtui_desktop.ui.app import run  # Qt only when a window is wanted

        return run(options.file, options.demo)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from gongtui_desktop.services.demo import write_demo

        try:
            path = write_demo(args.file, completed=args.completed)
        except ElectionFileError as error:
            print(f"无法写出演示文件：{error}", file=sys.stderr)
            return 2
        print(f"已写出演示选举文件：{path}")
        return 0
    if args.command == "export":
        from gongtui_desktop.reports.packet import PacketRefused, export_packet

        try:
            packet = export_packet(Path(args.file), Path(args.outdir))
        except PacketRefused as error:
            # Same exit code as verify for a file that is not intact.
            print(f"无法导出：{error}", file=sys.stderr)
            print("\n".join(error.report.lines()), file=sys.stderr)
            return 1
        except ElectionFileError as error:
            print(f"无法导出：{error}", file=sys.stderr)
            return 2
        state = "" if packet.finished else "（选举尚未完成，材料已标明“未完成”）"
        print(
            f"已导出归档材料{state}：{packet.folder}（{len(packet.files)} 个文件）和 {packet.archive}"
        )
        return 0
    if args.command == "verify":
        target = Path(args.file)
        if target.is_dir() or target.suffix.lower() == ".zip":
            return _verify_packet(target, args.expect)
        try:
            report = verify_file(args.file, args.expect)
        except ElectionFileError as error:
            print(f"无法校验：{error}", file=sys.stderr)
            return 2
        print("\n".join(report.lines()))
        return 0 if report.ok else 1
    parser.print_help()
    return 2


def _verify_packet(path: Path, expect: str | None) -> int:
    """An exported packet: its files, its election file copy and, always, the 校验码 printed
    on the signed report; a packet rebuilt by someone holding it passes every other check."""
    from gongtui_desktop.reports.packet import verify_packet

    if not expect:
        print("请输入签字的计票结果报告单（或投影屏幕照片）上的校验码，然后按回车：", flush=True)
        try:
            expect = input().strip()
        except EOFError:
            expect = ""
        if not expect:
            print(
                "无法校验：没有输入校验码。归档材料可能被整体重算过，只有与签字报告上的校验码"
                "核对才能确认；请输入校验码，或用 --expect 给出。",
                file=sys.stderr,
            )
            return 1
    check = verify_packet(path, expect)
    print("\n".join(check.lines))
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
