#!/usr/bin/env python3
"""Regenerate ``resources/pinyin/initials.tsv`` (issue #5: sign-in by name or pinyin initials).

Output (UTF-8, ``#`` lines are comments): ``CHAR<TAB>INITIALS`` sorted by code point, where
INITIALS are the distinct first letters (a-z) of every Mandarin reading of the character, the
letter of the most common reading first, e.g. ``单<TAB>dcs``, ``曾<TAB>cz``, ``张<TAB>z``.

Input: the Debian package ``unicode-data`` 15.0.0-1 (Unihan 15.0.0, Unicode licence)::

    mkdir -p /tmp/stroke-src && cd /tmp/stroke-src
    apt-get download unicode-data=15.0.0-1           # -> unicode-data_15.0.0-1_all.deb
    python3 tools/build_pinyin_data.py /tmp/stroke-src/unicode-data_15.0.0-1_all.deb

Readings are taken from ``Unihan_Readings.txt`` in this order, each letter kept once:

1. ``kMandarin`` -- the customary reading (its first value, zh-CN, decides the first letter);
2. ``kHanyuPinlu`` -- readings with their frequency in a corpus, most frequent first;
3. ``kTGHZ2013`` -- readings of 《通用规范汉字字典》 (2013);
4. ``kHanyuPinyin`` -- readings of 《汉语大字典》;
5. ``kXHC1983`` -- readings of 《现代汉语词典》 (1983).

Characters written: the 8,105 of 通用规范汉字表 (``resources/strokes/tongyong_guifan_8105.txt``)
plus every character of the CJK Unified Ideographs block (U+4E00..U+9FFF) that has a reading,
so that traditional forms (張, 陳) are found too.  Nothing is downloaded by this script.
"""

from __future__ import annotations

import argparse
import bz2
import io
import sys
import tarfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TONGYONG = ROOT / "resources" / "strokes" / "tongyong_guifan_8105.txt"
OUT = ROOT / "resources" / "pinyin" / "initials.tsv"
FIELDS = ("kMandarin", "kHanyuPinlu", "kTGHZ2013", "kHanyuPinyin", "kXHC1983")
BLOCK = range(0x4E00, 0xA000)  # CJK Unified Ideographs


def read_deb_member(deb: Path, suffix: str) -> bytes:
    """Read a file from the data.tar.* of a Debian package (ar archive)."""
    raw = deb.read_bytes()
    if not raw.startswith(b"!<arch>\n"):
        raise SystemExit(f"{deb}: not an ar archive")
    pos = 8
    while pos < len(raw):
        header = raw[pos : pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = raw[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tf:
                for member in tf.getmembers():
                    if member.name.endswith(suffix):
                        extracted = tf.extractfile(member)
                        if extracted is not None:
                            return extracted.read()
    raise SystemExit(f"{deb}: no data member ending in {suffix}")


def readings(field: str, value: str) -> list[str]:
    """The readings in one Unihan field value, in the order that field implies."""
    if field == "kMandarin":
        return value.split()
    if field == "kHanyuPinlu":  # "lè(283) yuè(54)"
        counted = []
        for item in value.split():
            reading, _, count = item.partition("(")
            counted.append((reading, int(count.rstrip(")"))))
        return [reading for reading, _ in sorted(counted, key=lambda pair: -pair[1])]
    # kTGHZ2013 / kHanyuPinyin / kXHC1983: "location[,location]:reading[,reading] ..."
    out: list[str] = []
    for item in value.split():
        _, sep, rest = item.partition(":")
        if not sep:
            raise SystemExit(f"{field}: unexpected value {value!r}")
        out.extend(rest.split(","))
    return out


def first_letter(reading: str) -> str:
    """The first base letter of a reading with tone marks (ê̄ -> e, ń -> n)."""
    for char in unicodedata.normalize("NFD", reading):
        if "a" <= char <= "z":
            return char
    raise SystemExit(f"no letter in reading {reading!r}")


def initials(values: Iterable[tuple[str, str]]) -> str:
    letters: list[str] = []
    for field, value in values:
        for reading in readings(field, value):
            letter = first_letter(reading.lower())
            if letter not in letters:
                letters.append(letter)
    return "".join(letters)


def load_readings(deb: Path) -> dict[str, dict[str, str]]:
    """char -> {field: value} for the fields in FIELDS."""
    text = bz2.decompress(read_deb_member(deb, "Unihan_Readings.txt.bz2")).decode("utf-8")
    out: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, field, value = line.split("\t")
        if field in FIELDS:
            out.setdefault(chr(int(code[2:], 16)), {})[field] = value
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("deb", type=Path, help="unicode-data_15.0.0-1_all.deb")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    data = load_readings(args.deb)
    tongyong = [
        line.strip()
        for line in TONGYONG.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if len(tongyong) != 8105:
        raise SystemExit(f"{TONGYONG}: expected 8105 characters, got {len(tongyong)}")
    wanted = set(tongyong) | {char for char in data if ord(char) in BLOCK}
    table = {
        char: initials((field, data[char][field]) for field in FIELDS if field in data[char])
        for char in wanted
        if char in data
    }
    missing = [char for char in tongyong if char not in table]
    polyphonic = sum(1 for char in tongyong if len(table.get(char, "")) > 1)
    covered = len(tongyong) - len(missing)
    print(
        f"{len(table)} characters; 通用规范汉字表 coverage {covered}/8105, "
        f"{polyphonic} with more than one initial; missing {len(missing)}: {''.join(missing)}",
        file=sys.stderr,
    )

    header = [
        "# Pinyin initials per character: CHAR<TAB>INITIALS, by code point (issue #5).",
        "# INITIALS = distinct first letters of all Mandarin readings, most common reading first.",
        "# Generated by tools/build_pinyin_data.py -- do not edit by hand.",
        "# Source: Unihan 15.0.0 (Debian package unicode-data 15.0.0-1, Unihan_Readings.txt), fields",
        "#   kMandarin, kHanyuPinlu, kTGHZ2013, kHanyuPinyin, kXHC1983. This is a modified extract of a",
        "#   Unicode Data File; Copyright (c) Unicode, Inc., Unicode licence,",
        "#   see ../strokes/LICENSE-unicode.txt.",
        f"# {len(table)} characters: 通用规范汉字表 {covered}/8105 plus CJK Unified Ideographs"
        " U+4E00..U+9FFF with a reading.",
        f"# 通用规范汉字表 characters without a reading ({len(missing)}): {''.join(missing) or '-'}",
    ]
    lines = [f"{char}\t{table[char]}" for char in sorted(table, key=ord)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
