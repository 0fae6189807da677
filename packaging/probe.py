"""The size probe of issue #9: a bare PySide6-Essentials QtWidgets window, frozen the same way."""

import sys

from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)
label = QLabel("probe")
if "--exit" in sys.argv:
    sys.exit(0)
label.show()
sys.exit(app.exec())
