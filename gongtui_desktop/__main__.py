"""``python -m gongtui_desktop``."""

import sys

from gongtui_desktop.cli import main

sys.exit(main())
