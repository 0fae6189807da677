"""The domain layer stays pure: no Qt, no SQL, no file formats, no other project layer."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import gongtui_desktop.domain

DOMAIN = Path(gongtui_desktop.domain.__file__).resolve().parent
FORBIDDEN_ROOTS = {
    "PySide6",
    "shiboken6",
    "PyQt5",
    "PyQt6",
    "sqlite3",
    "openpyxl",
    "docx",
    "lxml",
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "glob",
    "importlib",
}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.append("." * node.level + (node.module or ""))
            else:
                names.append(node.module or "")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"open", "__import__"}
        ):
            names.append(f"<call {node.func.id}()>")
    return names


def violations(module: str) -> str | None:
    if module.startswith("<call"):
        return "reads files or imports dynamically"
    if module.startswith("."):
        return "relative import: spell out gongtui_desktop.domain"
    root = module.split(".")[0]
    if root in FORBIDDEN_ROOTS:
        return "Qt, SQL, file formats and the file system stay out of the domain"
    if root == "gongtui_desktop" and not module.startswith("gongtui_desktop.domain"):
        return "the domain imports no other project layer"
    if root != "gongtui_desktop" and root not in sys.stdlib_module_names:
        return "the domain uses the standard library only"
    return None


def test_domain_imports_nothing_outside_itself() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) > 5
    problems = [
        f"{path.relative_to(DOMAIN)}: {module} ({why})"
        for path in files
        for module in imported_modules(path)
        if (why := violations(module))
    ]
    assert problems == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sqlite3\nfrom PySide6.QtCore import Qt\nfrom gongtui_desktop.store import x\n"
        "import numpy\nfrom gongtui_desktop.domain.ballots import Mark\nopen('f')\n",
        encoding="utf-8",
    )
    found = [m for m in imported_modules(sample) if violations(m)]
    assert found == ["sqlite3", "PySide6.QtCore", "gongtui_desktop.store", "numpy", "<call open()>"]


def test_every_package_is_installed() -> None:
    """pyproject.toml lists packages by hand: a new folder must be added there too."""
    import tomllib

    root = DOMAIN.parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(path.parent.relative_to(root).parts)
        for path in (root / "gongtui_desktop").rglob("__init__.py")
    }
    assert found | {"gongtui_desktop.resources"} == listed


SCANNING = DOMAIN.parent / "scanning"
SCANNING_FORBIDDEN = {"shiboken6", "PyQt5", "PyQt6", "sqlite3", "openpyxl", "docx"}
# Qt decodes and warps images (QtCore, QtGui); widgets stay in the ui layer.
SCANNING_QT = {"PySide6.QtCore", "PySide6.QtGui"}
SCANNING_THIRD_PARTY = {"numpy", "pypdfium2", "zxingcpp"}


def scanning_violation(module: str) -> str | None:
    """The scanning layer: images in, readings out; Qt only for images (no widgets), no
    SQL or documents, and no other project layer but the domain."""
    if module.startswith("<call"):
        return "reads files or imports dynamically"
    root = module.split(".")[0]
    if root == "PySide6":
        return None if module in SCANNING_QT else "no widgets in the scanning layer"
    if root in SCANNING_FORBIDDEN:
        return "SQL and document formats stay out of the scanning layer"
    if root == "gongtui_desktop" and not module.startswith(
        ("gongtui_desktop.scanning", "gongtui_desktop.domain")
    ):
        return "the scanning layer imports only itself and the domain"
    if (
        root not in {"gongtui_desktop", *SCANNING_THIRD_PARTY}
        and root not in sys.stdlib_module_names
    ):
        return "the scanning layer uses Qt images, numpy, pypdfium2 and zxing-cpp only"
    return None


def test_scanning_imports_only_images_and_itself() -> None:
    files = sorted(SCANNING.rglob("*.py"))
    assert len(files) >= 5
    problems = [
        f"{path.name}: {module} ({why})"
        for path in files
        for module in imported_modules(path)
        if (why := scanning_violation(module))
    ]
    assert problems == []
    assert scanning_violation("gongtui_desktop.store.scans") is not None
    assert scanning_violation("PySide6.QtWidgets") is not None
    assert scanning_violation("cv2") is not None
    assert scanning_violation("PySide6.QtGui") is None
