"""The Qt binding must not eat references to None (PySide6 6.12.0 on Python 3.11 did)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_methods_returning_nothing_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("计票")
    # A binding that drops one reference per call loses 2,000 here and aborts the
    # program after a few thousand calls; a sound one stays where it was.
    assert sys.getrefcount(None) >= before - 50
