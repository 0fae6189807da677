"""Data shipped with the program (stroke order tables, demo data); see README.md here."""
