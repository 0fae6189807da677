"""A name as it enters the program: one spelling for what looks the same on screen.

Text pasted from a web page or a chat can carry invisible characters (zero-width
spaces, joiners, byte-order marks) and direction overrides that make ``张​三``
differ from ``张三`` although both show the same, or make a name display in another
order than it is stored. Every name is brought to Unicode NFC and stripped of these
format characters before it is stored or compared.
"""

from __future__ import annotations

import unicodedata


def clean_name(name: str) -> str:
    """NFC, without format characters (Unicode category Cf) and surrounding blanks."""
    text = unicodedata.normalize("NFC", name)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
