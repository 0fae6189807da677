"""A round's result as stored: the figures of the report, in canonical JSON (R14).

``verify`` re-counts every round from its papers and compares with these.
"""

from __future__ import annotations

from gongtui_desktop.domain.counting import RoundResult


def result_figures(result: RoundResult) -> dict[str, object]:
    return {
        "round_valid": result.round_valid,
        "papers_issued": result.spec.papers_issued,
        "papers_collected": result.papers_collected,
        "valid": result.valid_papers,
        "invalid": result.invalid_papers,
        "invalid_by_reason": {reason.value: n for reason, n in result.invalid_by_reason},
        "threshold": result.threshold,
        "threshold_applied": result.threshold_applied,
        "votes": [
            {
                "name": p.name,
                "listed": p.listed,
                "for": p.approvals,
                "against": p.against,
                "abstain": p.abstain,
                "electable": p.electable,
                "passed": p.passed,
            }
            for p in result.votes
        ],
        "elected": list(result.elected),
        "tied": list(result.tied),
        "tie_seats": result.tie_seats,
        "unfilled_seats": result.unfilled_seats,
    }
