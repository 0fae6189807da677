"""The ``gongtui-desktop`` command: sub-commands for work without a window."""

from __future__ import annotations

import argparse
import codecs
import io
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from gongtui_desktop import __version__
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import verify_file

DESCRIPTION = "公推直选计票：党支部公推直选的离线计票与归档程序"
SUBCOMMANDS = ("verify", "demo", "export")
# Options of the windowed program that only print: shown in a window when there is no console.
PRINTING_OPTIONS = ("--self-test", "-h", "--help", "--version")
# Code pages that hold the common Chinese characters: kept, so cmd, findstr and a Chinese
# PowerShell read the output; the few characters they lack (𬭚, 䶮…) print as "?".
CHINESE_CODE_PAGES = ("gbk", "gb2312", "gb18030", "big5", "cp950", "hz")


def cli_command() -> str:
    """The command a user types. On Windows the packaged ``gongtui-desktop.exe`` is a
    windowed program: a console shows nothing of it and does not wait for it, so the
    commands are run with its console twin ``gongtui-desktop-cli.exe``."""
    if sys.platform == "win32" and getattr(sys, "frozen", False):
        return "gongtui-desktop-cli"
    return "gongtui-desktop"


def make_output_safe() -> None:
    """Chinese output never stops a command. Printing to a pipe or a file, Python uses the
    Windows ANSI code page: on cp1252 every Chinese character, on GBK some names, would
    raise UnicodeEncodeError after the work is done, and the exit code 1 would read as
    "the file is altered"."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            encoding = codecs.lookup(getattr(stream, "encoding", None) or "ascii").name
        except LookupError:
            encoding = "ascii"
        if encoding.startswith("utf"):
            continue
        try:
            if encoding in CHINESE_CODE_PAGES:
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            continue  # a stream that cannot change: nothing better to do


def _gui_parser() -> argparse.ArgumentParser:
    command = cli_command()
    parser = argparse.ArgumentParser(
        prog=command,
        description=DESCRIPTION,
        epilog=(
            f"其他命令：{command} verify 文件；{command} demo 文件 [--completed]；"
            f"{command} export 文件 文件夹"
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
    parser = argparse.ArgumentParser(prog=cli_command(), description=DESCRIPTION)
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
    if sys.stdout is None or sys.stderr is None:
        # The windowed program (no console): what it would print is shown in a window.
        if _prints(argv):
            return _in_a_window(argv)
        return _run(argv, _ask_code)
    make_output_safe()
    return _run(argv, _ask_code)


def _prints(argv: list[str]) -> bool:
    """The command line asks for output rather than for the program's window."""
    if argv and argv[0] in SUBCOMMANDS:
        return True
    if any(option in PRINTING_OPTIONS for option in argv):
        return True
    try:
        _gui_parser().parse_args(argv)
    except SystemExit:
        return True  # a mistake in the command line: argparse explains it
    return False


def _in_a_window(argv: list[str]) -> int:
    output = io.StringIO()
    streams = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = output
    try:
        try:
            code = _run(argv, _ask_code_in_window)
        except SystemExit as done:  # --help, --version, a mistake in the command line
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    finally:
        sys.stdout, sys.stderr = streams
    from gongtui_desktop.ui.command_window import show_command_result

    show_command_result(argv, output.getvalue(), code)
    return code


def _ask_code() -> str:
    print("请输入签字的计票结果报告单（或投影屏幕照片）上的校验码，然后按回车：", flush=True)
    try:
        return input().strip()
    except (EOFError, RuntimeError):  # no input: RuntimeError when there is no stdin at all
        return ""


def _ask_code_in_window() -> str:
    from gongtui_desktop.ui.command_window import ask_code

    return ask_code()


def _run(argv: list[str], ask: Callable[[], str]) -> int:
    if not argv or argv[0] not in SUBCOMMANDS:
        options = _gui_parser().parse_args(argv)
        if options.self_test:
            from gongtui_desktop.services.self_test import main as self_test

            return self_test()
        from gongtui_desktop.ui.app import run  # Qt only when a window is wanted

        return run(options.file, options.demo)
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _command(parser, args, ask)
    except Exception:
        # Exit 1 means "not intact" to verify and export: a fault of the program must not
        # read as a verdict on the file.
        print(
            f"程序出错，{args.command} 没有完成（这不是对选举文件的结论）：\n"
            + traceback.format_exc(),
            file=sys.stderr,
        )
        return 2


def _command(
    parser: argparse.ArgumentParser, args: argparse.Namespace, ask: Callable[[], str]
) -> int:
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
            return _verify_packet(target, args.expect, ask)
        try:
            report = verify_file(args.file, args.expect)
        except ElectionFileError as error:
            print(f"无法校验：{error}", file=sys.stderr)
            return 2
        print("\n".join(report.lines()))
        return 0 if report.ok else 1
    parser.print_help()
    return 2


def _verify_packet(path: Path, expect: str | None, ask: Callable[[], str]) -> int:
    """An exported packet: its files, its election file copy and, always, the 校验码 printed
    on the signed report; a packet rebuilt by someone holding it passes every other check."""
    from gongtui_desktop.reports.packet import verify_packet

    if not expect:
        expect = ask()
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
