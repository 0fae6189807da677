"""姓氏笔画 order (R11).

Stroke sequences use the five basic stroke codes 1 横 2 竖 3 撇 4 点 5 折. Names
compare character by character: stroke count first, then the strokes' shapes
in writing order. A character missing from the table sorts after every known
one and is reported, so nobody is silently misplaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STROKE_NAMES = {"1": "横", "2": "竖", "3": "撇", "4": "点", "5": "折"}

# Sorts after any real stroke count.
_UNKNOWN = 10_000
# Separators inside names (买买提·艾力, 欧阳 修) take no part in the order.
SEPARATORS = frozenset("·•・‧ 　")


@dataclass(frozen=True)
class StrokeOrdering:
    """Names in 姓氏笔画 order, and the characters that had no stroke data (R11)."""

    names: tuple[str, ...]
    unknown_characters: frozenset[str]

    @property
    def complete(self) -> bool:
        return not self.unknown_characters


class StrokeTable:
    """Stroke sequences per character, as shipped in ``resources/strokes``."""

    def __init__(self, sequences: Mapping[str, str]) -> None:
        for char, sequence in sequences.items():
            if len(char) != 1 or not sequence or set(sequence) - set(STROKE_NAMES):
                raise ValueError(f"笔顺数据有误：{char!r} → {sequence!r}")
        self._sequences = dict(sequences)

    @classmethod
    def parse(cls, text: str) -> StrokeTable:
        """Read ``CHAR<TAB>SEQUENCE`` lines; ``#`` starts a comment line."""
        sequences: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise ValueError(f"笔顺数据第 {number} 行格式有误：{line!r}")
            sequences[parts[0]] = parts[1].strip()
        return cls(sequences)

    def __len__(self) -> int:
        return len(self._sequences)

    def __contains__(self, char: object) -> bool:
        return char in self._sequences

    def sequence(self, char: str) -> str | None:
        return self._sequences.get(char)

    def stroke_count(self, char: str) -> int | None:
        sequence = self._sequences.get(char)
        return None if sequence is None else len(sequence)

    def sort_key(self, name: str) -> tuple[tuple[int, str, str], ...]:
        """Per character: (stroke count, stroke shapes, the character itself as a last resort)."""
        key = []
        for char in name:
            if char in SEPARATORS:
                continue
            sequence = self._sequences.get(char)
            if sequence is None:
                key.append((_UNKNOWN, "", char))
            else:
                key.append((len(sequence), sequence, char))
        return tuple(key)

    def order(self, names: Iterable[str]) -> StrokeOrdering:
        """R11: sort names in 姓氏笔画 order; unknown characters go last and are listed."""
        listed = list(names)
        unknown = frozenset(
            ch
            for name in listed
            for ch in name
            if ch not in self._sequences and ch not in SEPARATORS
        )
        return StrokeOrdering(tuple(sorted(listed, key=self.sort_key)), unknown)

    def describe(self, char: str) -> str:
        """``王：4 画，横横竖横`` for the explanation beside an ordered list."""
        sequence = self._sequences.get(char)
        if sequence is None:
            return f"{char}：缺少笔画数据，排在最后"
        shapes = "".join(STROKE_NAMES[s] for s in sequence)
        return f"{char}：{len(sequence)} 画，{shapes}"
