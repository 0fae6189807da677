"""The ``gongtui-desktop`` command: sub-commands for work without a window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gongtui_desktop import __version__
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import verify_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongtui-desktop",
        description="公推直选计票：党支部公推直选的离线计票与归档程序",
    )
    parser.add_argument("--version", action="version", version=f"gongtui-desktop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令")
    verify = commands.add_parser(
        "verify",
        help="校验选举文件：审计链、数据记录和每一轮的计票结果",
        description="校验选举文件是否完整；完整时退出码为 0。",
    )
    verify.add_argument("file", help="选举文件（.gongtui）")
    verify.add_argument(
        "--expect", metavar="校验码", help="报告上打印的校验码：证明打印之后记录没有被截断"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "verify":
        try:
            report = verify_file(args.file, args.expect)
        except ElectionFileError as error:
            print(f"无法校验：{error}", file=sys.stderr)
            return 2
        print("\n".join(report.lines()))
        return 0 if report.ok else 1
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
