"""Elections at a given stage, built through the real store and services, for several tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import ReviewConditions
from gongtui_desktop.services.new_election import ContestDraft, create_election
from gongtui_desktop.services.recommendation import close_recommendation, review_rows
from gongtui_desktop.store.election_file import ElectionFile

RECOMMENDED = ("项上桢", "郭卫民", "陈晓红", "刘建国", "周丽萍")


def recommended_election(path: Path) -> Path:
    """Recommendation closed: five approved 初步人选 for a 3-seat committee, ready to evaluate."""
    create_election(
        path,
        title="换届选举",
        organization="统计局党支部",
        higher_organization="",
        meeting_date=date(2026, 11, 24),
        drafts=[ContestDraft(Position.COMMITTEE, 3, ("甲", "乙", "丙", "丁"))],
        plan=PlanOptions(),
        operator="甲",
    )
    with ElectionFile.open(path) as election:
        people = [{"name": n, "status": "full"} for n in RECOMMENDED]
        ids = election.add_people("甲", people, "导入")
        election.set_recommendation_position("甲", Position.COMMITTEE, 3, review=ReviewConditions())
        for person_id, votes in zip(ids, (20, 18, 15, 12, 10), strict=True):
            election.set_recommendation_total("甲", Position.COMMITTEE, person_id, "member", votes)
        for row in review_rows(election):
            election.decide_review("甲", Position.COMMITTEE, row.person_id, True)
        close_recommendation(election, "甲")
    return path
