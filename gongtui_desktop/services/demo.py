"""The demo election: a branch like seed 1's, ready to enter or entirely decided.

34 people (19 full members, 1 probationary member, 14 non-members); the election
meeting has 18 full members present and one on leave; a 3-seat committee with 4
candidates in 姓氏笔画 order (R10, R11), then the secretary among the committee
just elected (R15).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.scrutineers import ScrutineerRole
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.stroke_data import stroke_table

OPERATOR = "演示计票人"
FULL_MEMBERS = (
    "项上桢", "郭卫民", "陈晓红", "刘建国", "周丽萍", "吴海涛", "孙志强", "王秀英", "李文斌",
    "张桂兰", "赵明", "钱玉珍", "冯振华", "褚国庆", "卫红梅", "蒋立新", "沈佳怡", "韩冬", "杨帆",
)  # fmt: skip
PROBATIONARY = ("朱晨阳",)
NON_MEMBERS = (
    "秦雪", "尤建平", "许静", "何磊", "吕娜", "施伟", "孔令华", "曹敏", "严俊", "华婷", "金鑫",
    "魏巍", "陶然", "姜涛",
)  # fmt: skip
COMMITTEE_CANDIDATES = ("项上桢", "郭卫民", "陈晓红", "刘建国")
ON_LEAVE = "杨帆"
# 18 papers for the committee, in 姓氏笔画 order: 刘建国 (6), 陈晓红 (7), 项上桢 (9), 郭卫民 (10).
COMMITTEE_PAPERS = (
    ("-OOO",) * 9 + ("O-OO",) * 4 + ("OO-O",) * 2 + ("OOO-",) * 1 + ("-OO- +周丽萍",) + ("----",)
)
SECRETARY_PAPERS = ("O-",) * 14 + ("-O",) * 3 + ("--",)


def _person(name: str, status: MemberStatus, number: int) -> dict[str, object]:
    """Plausible, fixed details: ages 30 to 62, in the Party for 5 to 35 years."""
    birth = date(1964 + number * 7 % 32, 1 + number * 5 % 12, 1 + number * 11 % 28)
    person: dict[str, object] = {
        "name": name,
        "status": status,
        "gender": "女" if number % 3 == 1 else "男",
        "birth": birth,
        "employment": "retired" if birth.year < 1966 else "working",
    }
    if status is MemberStatus.FULL:
        joined = date(birth.year + 23 + number % 6, 7, 1)
        person |= {"joined": joined, "confirmed": joined.replace(year=joined.year + 1)}
    elif status is MemberStatus.PROBATIONARY:
        person["joined"] = date(2026, 3, 1)
    return person


def write_demo(path: str | Path, completed: bool = False) -> Path:
    """Write the demo election to ``path`` (which must not exist) and close it."""
    path = Path(path)
    election = ElectionFile.create(
        path,
        title="区统计局党支部换届选举（演示）",
        organization="区统计局党支部",
        higher_organization="区级机关党工委",
        reference_date=date(2026, 11, 24),
        operator=OPERATOR,
    )
    with election:
        people = [_person(n, MemberStatus.FULL, i) for i, n in enumerate(FULL_MEMBERS)]
        people += [
            _person(n, MemberStatus.PROBATIONARY, 40 + i) for i, n in enumerate(PROBATIONARY)
        ]
        people += [_person(n, MemberStatus.NON_MEMBER, 60 + i) for i, n in enumerate(NON_MEMBERS)]
        ids = dict(
            zip(
                (*FULL_MEMBERS, *PROBATIONARY, *NON_MEMBERS),
                election.add_people(OPERATOR, people, "导入党员名册（演示）"),
                strict=True,
            )
        )
        election.update_meeting(
            OPERATOR, "election", held_on=date(2026, 11, 24), place="机关三楼会议室", chair="项上桢"
        )
        for name in FULL_MEMBERS:
            election.set_attendance(
                OPERATOR, "election", ids[name], "leave" if name == ON_LEAVE else "present"
            )
        ordered = stroke_table().order(COMMITTEE_CANDIDATES).names
        committee = election.add_contest(
            OPERATOR, Position.COMMITTEE, 3, [(ids[n], n) for n in ordered], title="支部委员会委员"
        )
        election.add_contest(
            OPERATOR,
            Position.SECRETARY,
            1,
            [],
            title="支部书记",
            equal_approved=False,
            restricted_to=committee,
        )
        election.add_scrutineer(OPERATOR, ids["周丽萍"], ScrutineerRole.CHIEF)
        election.add_scrutineer(OPERATOR, ids["王秀英"], ScrutineerRole.SCRUTINEER)
        election.add_scrutineer(OPERATOR, ids["吴海涛"], ScrutineerRole.COUNTER)
        present = len(FULL_MEMBERS) - 1
        first = election.open_round(OPERATOR, committee, present_voters=present)
        election.set_papers_collected(OPERATOR, first, present)
        if completed:
            _complete(election, committee, first, ids, present)
    return path


def _complete(
    election: ElectionFile, committee: int, first: int, ids: dict[str, int], present: int
) -> None:
    spec = election.round(first).spec
    for text in COMMITTEE_PAPERS:
        paper = parse_shorthand(text, len(spec.candidates))
        people = [ids.get(w.name) for w in paper.write_ins]
        election.enter_paper(OPERATOR, first, paper, people)
    election.close_round(OPERATOR, first)
    election.confirm_round(OPERATOR, first, "周丽萍")
    elected = election.contest_progress(committee).elected
    secretary = next(c for c in election.contests() if c.contest.position is Position.SECRETARY)
    # The higher organization approved two of the elected, in this order (R11, R15).
    approved = [n for n in ("项上桢", "郭卫民") if n in elected]
    election.set_contest_candidates(OPERATOR, secretary.id, [(ids[n], n) for n in approved])
    second = election.open_round(OPERATOR, secretary.id, present_voters=present)
    election.set_papers_collected(OPERATOR, second, present)
    for text in SECRETARY_PAPERS:
        election.enter_paper(OPERATOR, second, parse_shorthand(text, 2))
    election.close_round(OPERATOR, second)
    election.confirm_round(OPERATOR, second, "周丽萍")
    election.close_stage(OPERATOR, "election")
