"""Runs every benchmark in this folder and prints each figure beside its target.

    python benchmarks/run_all.py

Each ``bench_*.py`` module has ``main()`` returning (label, measured, target, unit)
rows, lower is better. Each runs in a process of its own, so that one benchmark's memory
(the scan benchmark holds hundreds of page images) never shows in another's peak-memory
figure. Record the results in docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_one(path: Path) -> list[tuple[str, float, float, str]]:
    """The rows of one benchmark module, measured in this process."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.main())


def main() -> int:
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    over = 0
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"== {path.name}", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stderr)
            over += 1
            continue
        rows = json.loads(child.stdout.strip().splitlines()[-1])
        for label, value, target, unit in rows:
            verdict = "OK" if value <= target else "OVER TARGET"
            over += verdict != "OK"
            print(f"  {label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}   {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(Path(sys.argv[2])), ensure_ascii=False))
        sys.exit(0)
    sys.exit(main())
