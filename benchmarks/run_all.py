"""Runs every benchmark in this folder and prints each figure beside its target.

    python benchmarks/run_all.py

Each ``bench_*.py`` module has ``main()`` returning (label, measured, target, unit)
rows, lower is better. Record the results in docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    over = 0
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.name}")
        for label, value, target, unit in module.main():
            verdict = "OK" if value <= target else "OVER TARGET"
            over += verdict != "OK"
            print(f"  {label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}   {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
