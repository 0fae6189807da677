"""A small but complete election written through the real store, for tests and fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gongtui_desktop.domain.attendance import ExclusionReason
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.evaluation import CandidateRating, RaterGroup, Rating
from gongtui_desktop.domain.people import Discipline, MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.scrutineers import ScrutineerRole
from gongtui_desktop.store.election_file import ElectionFile

OPERATOR = "王计票"
COMMITTEE = ("张三", "李四", "王五", "赵六")
# 5 present: 张三 and 李四 elected, 王五 and 赵六 tie at 3 for the last seat (R8).
FIRST_ROUND = ("OOO-", "OOO-", "OO-O", "OO-O", "--OO")
TIE_BREAK = ("O-", "O-", "-O", "O-", "--")


def build_sample(path: Path) -> ElectionFile:
    """Create ``path`` and play a whole election into it; the file stays open for writing."""
    election = ElectionFile.create(
        path,
        title="区统计局党支部换届选举",
        organization="区统计局党支部",
        higher_organization="区级机关党工委",
        reference_date=date(2026, 11, 24),
        operator=OPERATOR,
    )
    ids: dict[str, int] = {}
    for name in (*COMMITTEE, "钱七", "孙八", "周九"):
        ids[name] = election.add_person(
            OPERATOR,
            name,
            MemberStatus.FULL,
            gender="男",
            birth=date(1980, 5, 1),
            joined=date(2005, 7, 1),
            confirmed=date(2006, 7, 1),
        )
    ids["吴预备"] = election.add_person(OPERATOR, "吴预备", MemberStatus.PROBATIONARY)
    ids["郑群众"] = election.add_person(OPERATOR, "郑群众", MemberStatus.NON_MEMBER)
    ids["冯察看"] = election.add_person(
        OPERATOR, "冯察看", MemberStatus.FULL, discipline=Discipline.PROBATION
    )
    election.update_meeting(OPERATOR, "election", held_on=date(2026, 11, 24), place="三楼会议室")
    for name in (*COMMITTEE, "钱七"):
        election.set_attendance(OPERATOR, "election", ids[name], "present")
    election.set_attendance(OPERATOR, "election", ids["孙八"], "leave")
    election.add_exclusion(
        OPERATOR, "election", ids["周九"], ExclusionReason.ABROAD, "区级机关党工委同意", "出国一年"
    )
    election.add_scrutineer(OPERATOR, ids["钱七"], ScrutineerRole.CHIEF)

    election.set_recommendation_seats(OPERATOR, Position.COMMITTEE, 3)
    election.set_form_count(OPERATOR, "recommendation", "member", 9, 8)
    election.enter_recommendation_form(
        OPERATOR, "member", {Position.COMMITTEE: [(ids["张三"], "张三"), (ids["李四"], "李四")]}
    )
    election.add_nomination(OPERATOR, Position.COMMITTEE, ids["王五"], "self", "本人自荐")
    election.set_recommendation_total(OPERATOR, Position.COMMITTEE, ids["赵六"], "mass", 4)
    election.decide_review(OPERATOR, Position.COMMITTEE, ids["张三"], True, "符合条件")
    election.set_publicity(OPERATOR, "recommendation", date(2026, 11, 1), date(2026, 11, 7))
    election.close_stage(OPERATOR, "recommendation")

    election.set_evaluation_candidates(OPERATOR, [ids[n] for n in COMMITTEE])
    excellent = CandidateRating((Rating.EXCELLENT,) * 5)
    election.enter_evaluation_form(
        OPERATOR, RaterGroup.MEMBER, {ids[n]: excellent for n in COMMITTEE}
    )
    election.close_stage(OPERATOR, "evaluation")

    contest = election.add_contest(
        OPERATOR, Position.COMMITTEE, 3, [(ids[n], n) for n in COMMITTEE]
    )
    round_id = election.open_round(OPERATOR, contest, present_voters=5)
    election.set_papers_collected(OPERATOR, round_id, 5)
    first = election.enter_paper(OPERATOR, round_id, parse_shorthand("OOOO", 4))
    election.correct_paper(OPERATOR, first.id, parse_shorthand(FIRST_ROUND[0], 4))
    for text in FIRST_ROUND[1:]:
        election.enter_paper(OPERATOR, round_id, parse_shorthand(text, 4))
    slip = election.enter_paper(OPERATOR, round_id, parse_shorthand("O--- +钱七", 4), [ids["钱七"]])
    election.withdraw_paper(OPERATOR, slip.id)
    election.close_round(OPERATOR, round_id)
    election.confirm_round(OPERATOR, round_id, "钱七")

    tie_break = election.open_round(OPERATOR, contest, present_voters=5)
    election.set_papers_collected(OPERATOR, tie_break, 5)
    for text in TIE_BREAK:
        election.enter_paper(OPERATOR, tie_break, parse_shorthand(text, 2))
    election.close_round(OPERATOR, tie_break)
    election.confirm_round(OPERATOR, tie_break, "钱七")

    secretary_candidates = [(ids[n], n) for n in ("张三", "李四")]
    election.add_contest(
        OPERATOR,
        Position.SECRETARY,
        1,
        secretary_candidates,
        restricted_to=contest,
    )
    return election
