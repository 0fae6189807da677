"""Tests of the scanned-ballot reader (issue #11)."""
