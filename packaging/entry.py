"""Entry point of the frozen build: the same command as ``gongtui-desktop``."""

import sys

from gongtui_desktop.cli import main

sys.exit(main())
