"""公推直选计票 — gongtui-desktop."""

__version__ = "0.1.0"
