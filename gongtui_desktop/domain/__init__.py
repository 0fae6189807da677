"""The rules engine: pure Python values and functions, one module per concept.

Every rule of ``shared/RULES.md`` is implemented once here and cites its id.
Nothing in this package imports Qt, SQL, file formats or other project layers.
"""
