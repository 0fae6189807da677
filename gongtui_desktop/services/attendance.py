"""A meeting's attendance: 应到、实到、请假、缺席, the quorum and the announcement (R1–R3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from gongtui_desktop.domain.attendance import Exclusion, Quorum, expected_attendance, quorum
from gongtui_desktop.domain.name_search import InitialsTable
from gongtui_desktop.domain.numbers import percent, share
from gongtui_desktop.domain.people import person_rights
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import PersonRecord

MEETINGS = {"recommendation": "推荐大会", "evaluation": "民主测评会", "election": "选举大会"}
STATUS_LABELS = {"present": "到会", "leave": "请假", "absent": "缺席", "": "未签到"}
# What may not go ahead without the quorum, per meeting.
BUSINESS = {"recommendation": "民主推荐", "evaluation": "民主测评", "election": "选举"}


@dataclass(frozen=True)
class MeetingFigures:
    """Who counts at one meeting, and whether the vote may start (R1–R3)."""

    kind: str
    voters: tuple[PersonRecord, ...]
    observers: tuple[PersonRecord, ...]
    status: dict[int, str]
    excluded: tuple[Exclusion, ...]
    quorum: Quorum

    @property
    def expected(self) -> int:
        return self.quorum.expected

    @property
    def present(self) -> int:
        return self.quorum.present

    def _count(self, wanted: str) -> int:
        excluded = {e.person_key for e in self.excluded}
        return sum(
            1
            for p in self.voters
            if str(p.id) not in excluded and self.status.get(p.id, "") == wanted
        )

    @property
    def leave(self) -> int:
        return self._count("leave")

    @property
    def absent(self) -> int:
        """Everyone expected who is not there (after the meeting: the record's 缺席)."""
        return self._count("absent") + self.not_signed_in

    @property
    def marked_absent(self) -> int:
        """Marked 缺席 at the sign-in desk."""
        return self._count("absent")

    @property
    def not_signed_in(self) -> int:
        """Not signed in yet, nor marked absent or on leave: while the meeting gathers they
        are 未签到, not 缺席."""
        return self._count("")

    def _not_there(self, after_meeting: bool) -> str:
        if after_meeting:  # the record: whoever did not come was absent
            return f"请假 {self.leave} 人，缺席 {self.absent} 人"
        parts = [f"请假 {self.leave} 人", f"缺席 {self.marked_absent} 人"]
        if self.not_signed_in:
            parts.append(f"未签到 {self.not_signed_in} 人")
        return "，".join(parts)

    @property
    def observers_present(self) -> int:
        return sum(1 for p in self.observers if self.status.get(p.id) == "present")

    @property
    def attendance_rate(self) -> Fraction:
        """到会率: voters present out of 应到会人数."""
        return share(self.present, self.expected)

    def announcement(self, after_meeting: bool = False) -> str:
        """What the chair reads out before the vote (R3)."""
        rule = "超过" if "超过" in self.quorum.rule.label else "不少于"
        head = (
            f"本次{MEETINGS[self.kind]}应到会有选举权的党员 {self.expected} 人，"
            f"实到会 {self.present} 人（{self._not_there(after_meeting)}）"
        )
        if self.quorum.met:
            return (
                f"{head}，实到会人数{rule}应到会人数的五分之四，符合规定，会议有效，"
                f"可以进行{BUSINESS[self.kind]}。"
            )
        return (
            f"{head}，至少须到会 {self.quorum.minimum_present} 人，还差 {self.quorum.missing} 人，"
            f"不能进行{BUSINESS[self.kind]}。"
        )

    def summary(self) -> str:
        state = "符合规定" if self.quorum.met else f"不足（至少 {self.quorum.minimum_present} 人）"
        return (
            f"应到 {self.expected}　实到 {self.present}　请假 {self.leave}　缺席 {self.marked_absent}"
            + (f"　未签到 {self.not_signed_in}" if self.not_signed_in else "")
            + f"　到会率 {percent(self.attendance_rate, 1)}　法定人数：{state}"
        )


def meeting_figures(election: ElectionFile, kind: str) -> MeetingFigures:
    """R1: voters are full members with rights still on the roster; R2: exclusions with
    consent leave 应到 (someone excluded who comes anyway counts again); R3: the quorum."""
    people = [p for p in election.people() if p.left_on is None]
    voters = tuple(p for p in people if person_rights(p.person).vote)
    observers = tuple(p for p in people if not person_rights(p.person).vote)
    status = election.attendance(kind)
    exclusions = tuple(
        Exclusion(str(person_id), reason, consent, note)
        for person_id, reason, consent, note in election.exclusions(kind)
        if status.get(person_id) != "present" and any(v.id == person_id for v in voters)
    )
    attendance = expected_attendance((p.person for p in voters), exclusions)
    present = sum(1 for p in voters if status.get(p.id) == "present")
    return MeetingFigures(
        kind,
        voters,
        observers,
        status,
        attendance.excluded,
        quorum(attendance.expected, present, election.plan().quorum),
    )


def search_order(
    table: InitialsTable, people: Sequence[PersonRecord], status: Mapping[int, str], query: str
) -> list[PersonRecord]:
    """The people query finds, in the order the sign-in list shows them: the whole name
    first, then people not yet signed in before those already present, each by closeness.
    The first row is whom Enter would sign in (see ``sign_in_target``)."""
    if not query.strip():
        return list(people)
    found = [
        (closeness, status.get(p.id) == "present", n, p)
        for n, p in enumerate(people)
        if (closeness := table.closeness(p.person.name, query)) is not None
    ]
    found.sort(key=lambda item: (item[0] != 0, item[1], item[0], item[2]))
    return [p for *_, p in found]


@dataclass(frozen=True)
class SignInTarget:
    """What Enter in the sign-in field means: the one person to sign in, or why not."""

    person: PersonRecord | None
    message: str


def sign_in_target(
    table: InitialsTable, people: Sequence[PersonRecord], status: Mapping[int, str], query: str
) -> SignInTarget:
    """Typed text signs someone in only when it finds exactly one person not yet present.

    A whole name typed means that name. Otherwise people not yet signed in are preferred,
    so ``x`` reaches 许静 once 项上桢 is in. Someone already present is reported, never
    signed in again; several equally good matches, or none, sign nobody in: 实到 (R3)
    counts only people someone saw come in."""
    text = query.strip()
    if not text:
        return SignInTarget(None, "")
    found = [(c, p) for p in people if (c := table.closeness(p.person.name, text)) is not None]
    if not found:
        return SignInTarget(None, f"名册中没有“{text}”")
    waiting = [(c, p) for c, p in found if status.get(p.id) != "present"]
    best = min(c for c, _ in found)
    if best != 0 and waiting:
        best = min(c for c, _ in waiting)
        pool = [p for c, p in waiting if c == best]
    else:
        pool = [p for c, p in found if c == best]
    unsigned = [p for p in pool if status.get(p.id) != "present"]
    if len(unsigned) == 1:
        return SignInTarget(unsigned[0], "")
    if not unsigned:
        names = "、".join(p.person.name for p in pool)
        return SignInTarget(None, f"{names}已签到，不用再签")
    names = "、".join(p.person.name for p in unsigned[:5]) + ("等" if len(unsigned) > 5 else "")
    return SignInTarget(
        None,
        f"“{text}”对应 {len(unsigned)} 位未签到的人（{names}）："
        "请多输入几个字，或在表格中选中后按 F5",
    )


def open_next_round(
    election: ElectionFile,
    operator: str,
    contest_id: int,
    papers_issued: int | None = None,
    double_entry: bool = False,
) -> int:
    """Open a contest's next round with the voters signed in: only once the quorum is met
    (R3); papers issued default to voters present (R4)."""
    figures = meeting_figures(election, "election")
    if not figures.quorum.met:
        raise ElectionFileError(
            f"实到会有选举权人数 {figures.present} 人，至少须 {figures.quorum.minimum_present} 人"
            "（超过应到会人数的五分之四），不能开始投票"
        )
    return election.open_round(
        operator, contest_id, figures.present, papers_issued, double_entry=double_entry
    )
