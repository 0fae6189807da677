"""The election file: one SQLite database per election (``NAME.gongtui``).

Durable (WAL, synchronous=FULL, one transaction per user action), tamper-evident
(an append-only audit log chained with SHA-256 that describes every row), one
writer at a time (a lock beside the file), with automatic backups. The store
turns rows into the domain's values and back; the domain never sees SQL.
"""
