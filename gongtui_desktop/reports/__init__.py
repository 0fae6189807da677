"""Word and Excel documents, printable forms and the archive packet (issue #8).

Reports read domain values and services' figures; they never query the windows.
"""
