"""Builds the one-folder program and its zip, then runs the frozen --self-test (issue #9).

    python -m pip install "pyinstaller>=6.0"
    python packaging/build.py            # → dist/gongtui-desktop/ and dist/gongtui-desktop-VERSION-PLATFORM.zip
    python packaging/build.py --probe    # also builds the bare QtWidgets probe and compares sizes

Exits non-zero if the build or the self-test fails.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
FOLDER = DIST / "gongtui-desktop"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def zip_folder(folder: Path, target: Path) -> Path:
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(folder.parent))
    return target


def pyinstaller(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *args],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start


def megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the frozen program and run its self-test.")
    parser.add_argument("--probe", action="store_true", help="also build the bare QtWidgets probe")
    args = parser.parse_args()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    seconds = pyinstaller("build.spec")
    archive = zip_folder(
        FOLDER,
        DIST / f"gongtui-desktop-{version}-{platform.system().lower()}-{platform.machine()}.zip",
    )
    size, zipped = folder_size(FOLDER), archive.stat().st_size
    print(
        f"build: {seconds:.0f} s; folder {megabytes(size)}; zip {megabytes(zipped)} ({archive.name})"
    )
    if args.probe:
        work, dist = ROOT / "build" / "probe-work", ROOT / "build" / "probe-dist"
        pyinstaller("--distpath", str(dist), "--workpath", str(work), "packaging/probe.spec")
        probe = dist / "probe"
        probe_zip = zip_folder(probe, ROOT / "build" / "probe.zip")
        probe_size = folder_size(probe)
        print(
            f"probe: folder {megabytes(probe_size)}; zip {megabytes(probe_zip.stat().st_size)}; "
            f"program − probe = {megabytes(size - probe_size)} (target ≤ 30 MB)"
        )
        shutil.rmtree(work, ignore_errors=True)
    result = subprocess.run(
        [str(FOLDER / f"gongtui-desktop-cli{EXE_SUFFIX}"), "--self-test"], check=False
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
