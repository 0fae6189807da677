"""Find a person by part of the name or by pinyin initials.

``zs`` finds 张三: one letter per character, and any reading of a polyphonic
character counts (``s`` and ``d`` both find 单). Separators inside names
(买买提·艾力, 欧阳 修) are skipped (issue #5: sign-in by name or pinyin initials).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from gongtui_desktop.domain.strokes import SEPARATORS

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _compact(text: str) -> str:
    """Stripped, case-folded text without separators."""
    return "".join(char for char in text.strip().casefold() if char not in SEPARATORS)


@dataclass(frozen=True)
class InitialsTable:
    """Pinyin initials per character, 单 → ``dcs`` (issue #5: sign-in by name or pinyin initials)."""

    entries: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for char, letters in self.entries.items():
            if (
                len(char) != 1
                or not letters
                or set(letters) - _LETTERS
                or len(set(letters)) != len(letters)
            ):
                raise ValueError(f"拼音首字母数据有误：{char!r} → {letters!r}")
        object.__setattr__(self, "entries", MappingProxyType(dict(self.entries)))

    def __hash__(self) -> int:
        return hash(frozenset(self.entries.items()))

    @classmethod
    def parse(cls, text: str) -> InitialsTable:
        """Read ``CHAR<TAB>INITIALS`` lines; ``#`` starts a comment line."""
        entries: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise ValueError(f"拼音首字母数据第 {number} 行格式有误：{line!r}")
            entries[parts[0]] = parts[1].strip()
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, char: object) -> bool:
        return char in self.entries

    def initials(self, char: str) -> str:
        """The possible first letters of char; a Latin letter stands for itself."""
        found = self.entries.get(char)
        if found is not None:
            return found
        lowered = char.casefold()
        return lowered if lowered in _LETTERS else ""

    def _initials_at(self, chars: str, start: int, letters: str) -> bool:
        """Whether letters are the initials of chars[start:start + len(letters)]."""
        if start + len(letters) > len(chars):
            return False
        return all(
            letter in self.initials(chars[start + offset]) for offset, letter in enumerate(letters)
        )

    def closeness(self, name: str, query: str) -> int | None:
        """How well query finds name: 0 the whole name, 1 its beginning, 2 the initials from
        the first character, 3 any other match; None when it does not match."""
        return self._group(name, query)

    def _group(self, name: str, query: str) -> int | None:
        """0 exact, 1 name prefix, 2 initials from the first character, 3 other match, None."""
        text = _compact(query)
        if not text:
            return 0
        chars = _compact(name)
        if chars == text:
            return 0
        if chars.startswith(text):
            return 1
        letters = unicodedata.normalize("NFKC", text)  # full-width ｚｓ typed by an IME
        if not (letters.isascii() and letters.isalpha()):
            return 3 if text in chars else None
        if self._initials_at(chars, 0, letters):
            return 2
        if text in chars or any(
            self._initials_at(chars, start, letters) for start in range(1, len(chars))
        ):
            return 3
        return None

    def matches(self, name: str, query: str) -> bool:
        """Empty query, part of the name, or initials of consecutive characters (issue #5)."""
        return self._group(name, query) is not None

    def rank(self, names: Iterable[str], query: str) -> list[str]:
        """Matching names, best first: exact, prefix, initials from the start, others (stable)."""
        grouped = [
            (group, name) for name in names if (group := self._group(name, query)) is not None
        ]
        return [name for _, name in sorted(grouped, key=lambda pair: pair[0])]

    def best(self, names: Sequence[str], query: str) -> list[int]:
        """Positions in names of every name matching query equally best (the best group of
        :meth:`rank`); a name listed twice (two people of one name) is there twice.

        Typed text stands for one person only when this has one entry: a name field takes
        it; with none or several it must not guess."""
        if not _compact(query):
            return []
        groups = [self._group(name, query) for name in names]
        found = [g for g in groups if g is not None]
        if not found:
            return []
        top = min(found)
        return [index for index, group in enumerate(groups) if group == top]
