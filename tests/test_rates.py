"""Rates quoted in the reports, with seed 1's figures (34 forms issued, 31 returned)."""

from __future__ import annotations

from pathlib import Path

from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.rates import rates
from gongtui_desktop.store.election_file import ElectionFile


def test_seed1_rates(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "demo.gongtui")) as election:
        election.set_form_count("甲", "recommendation", "member", 20, 19)
        election.set_form_count("甲", "recommendation", "mass", 14, 12)
        texts = [rate.text() for rate in rates(election)]
    assert texts == [
        "选举大会到会率 18/19，94.74%",
        "群众推荐票收回率（参与率） 12/14，85.71%",
        "党员推荐票收回率（参与率） 19/20，95.00%",
        "推荐票总收回率（参与率） 31/34，91.18%",
    ]
