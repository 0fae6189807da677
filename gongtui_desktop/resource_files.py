"""Files shipped in resources/: stroke data, pinyin initials, icons.

Installed from a wheel they live in the package ``gongtui_desktop.resources``; in the
frozen build (PyInstaller) they are data files beside the package, so both are tried.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import gongtui_desktop


def resource_path(name: str) -> Path:
    """A path to the named resource file, e.g. ``strokes/strokes.tsv``."""
    try:
        candidate = resources.files("gongtui_desktop.resources").joinpath(name)
        if candidate.is_file():
            return Path(str(candidate))
    except ModuleNotFoundError:
        pass
    fallback = Path(gongtui_desktop.__file__).resolve().parent / "resources" / name
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(f"缺少程序数据文件 {name}：请重新安装程序")


def read_resource(name: str) -> str:
    return resource_path(name).read_text(encoding="utf-8")
