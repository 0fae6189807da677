"""Reading scanned ballot papers (issue #11): the sheet's geometry, the image analysis and a
generator of synthetic scans for tests and benchmarks.

Needs numpy and OpenCV; never Qt, SQL or the election file. Bytes come in, readings go out:
the services layer decides what becomes a paper and what goes to adjudication.
"""
