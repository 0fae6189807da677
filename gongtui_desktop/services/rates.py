"""The rates the pilot reports quote: 到会率, forms returned, 参与率 (issue #5, for the documents)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from gongtui_desktop.domain.numbers import percent, share
from gongtui_desktop.services.attendance import MEETINGS, meeting_figures
from gongtui_desktop.store.election_file import ElectionFile

CHANNEL_LABELS = {"member": "党员", "mass": "群众"}
STAGE_LABELS = {"recommendation": "推荐票", "evaluation": "测评表"}


@dataclass(frozen=True, slots=True)
class Rate:
    """One quoted figure: part of whole, kept exact; shown as in the seed reports."""

    label: str
    part: int
    whole: int

    @property
    def value(self) -> Fraction:
        return share(self.part, self.whole)

    def text(self) -> str:
        return f"{self.label} {self.part}/{self.whole}，{percent(self.value)}"


def rates(election: ElectionFile) -> list[Rate]:
    """到会率 of each meeting held, then forms returned of issued per stage and channel."""
    result: list[Rate] = []
    for kind, title in MEETINGS.items():
        figures = meeting_figures(election, kind)
        if figures.status:
            result.append(Rate(f"{title}到会率", figures.present, figures.expected))
    for stage, stage_label in STAGE_LABELS.items():
        counts = election.form_counts(stage)
        for channel, (issued, returned) in sorted(counts.items()):
            result.append(
                Rate(f"{CHANNEL_LABELS[channel]}{stage_label}收回率（参与率）", returned, issued)
            )
        if len(counts) > 1:
            issued = sum(i for i, _ in counts.values())
            returned = sum(r for _, r in counts.values())
            result.append(Rate(f"{stage_label}总收回率（参与率）", returned, issued))
    return result
