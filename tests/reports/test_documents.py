"""The Word documents carry the rules engine's figures; layout and fonts are official (#8)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gongtui_desktop.reports import documents
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from tests.store.sample import build_sample


@pytest.fixture
def completed(tmp_path: Path):  # type: ignore[no-untyped-def]
    with ElectionFile.open(
        write_demo(tmp_path / "done.gongtui", completed=True), read_only=True
    ) as election:
        yield election


def table_rows(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_minutes_figures_equal_the_engine(completed: ElectionFile, tmp_path: Path) -> None:
    path = documents.write_minutes(completed, tmp_path / "minutes.docx")
    rows = table_rows(path)
    for facts in documents.rounds_of(completed):
        for person in facts.result.votes:
            name = person.name + ("" if person.listed else "（另选他人）")
            expected = [name, str(person.approvals)]
            assert any(row[:2] == expected for row in rows), expected
    text = text_of(path)
    assert "应到会有选举权的党员 19 人，实到会 18 人" in text
    assert "总监票人 周丽萍" in text
    assert "支部委员会委员选举结果：项上桢、郭卫民、陈晓红当选。" in text
    assert "未完成" not in text


def test_result_report_asks_approval_for_the_secretary(
    completed: ElectionFile, tmp_path: Path
) -> None:
    text = text_of(documents.write_result_report(completed, tmp_path / "r.docx"))
    assert text.startswith("关于区统计局党支部选举结果的报告")
    assert "区级机关党工委：" in text
    assert "支部书记项上桢的选举结果，报请审批 (R14)" in text


def test_tally_report_per_round(completed: ElectionFile, tmp_path: Path) -> None:
    for facts in documents.rounds_of(completed):
        path = documents.write_tally_report(completed, facts, tmp_path / f"t{facts.record.id}.docx")
        text = text_of(path)
        assert f"有效票 {facts.result.valid_papers} 张" in text and "总监票人（签字）" in text
        assert [row[0] for row in table_rows(path)][1:] == [
            p.name + ("" if p.listed else "（另选他人）") for p in facts.result.votes
        ]


def test_unfinished_election_is_marked(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "open.gongtui"), read_only=True) as election:
        assert not documents.election_finished(election)
        text = text_of(documents.write_minutes(election, tmp_path / "m.docx"))
        assert "未完成" in text and "尚未选举完毕" in text


def test_stage_summaries_and_work_summary(tmp_path: Path) -> None:
    build_sample(tmp_path / "s.gongtui").close()
    with ElectionFile.open(tmp_path / "s.gongtui", read_only=True) as election:
        recommendation = documents.write_recommendation_summary(election, tmp_path / "rec.docx")
        assert any(row[1] == "赵六" for row in table_rows(recommendation))
        assert "党员推荐：发出推荐票 9 张，收回 8 张。" in text_of(recommendation)
        review = documents.write_review_summary(election, tmp_path / "rev.docx")
        assert ["委员", "张三", "符合", "通过", "符合条件"] in table_rows(review)
        assert "2026年11月1日至2026年11月7日" in text_of(review)
        evaluation = documents.write_evaluation_summary(election, tmp_path / "ev.docx")
        assert any(
            row[0] == "张三" and row[1].endswith("100.00%") for row in table_rows(evaluation)
        )
        summary = text_of(documents.write_work_summary(election, tmp_path / "w.docx"))
        assert "发出推荐票 9 张，收回 8 张，收回率 88.89%" in summary
        assert "委员选举结果：张三、李四、王五当选" in summary


def test_layout_and_fonts_are_official(completed: ElectionFile, tmp_path: Path) -> None:
    document = docx.Document(str(documents.write_minutes(completed, tmp_path / "m.docx")))
    section = document.sections[0]
    mm = lambda length: round(length.mm)  # noqa: E731 - Word stores twips
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [mm(m) for m in margins] == [37, 35, 28, 26]
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)
    assert (
        runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and runs[0].font.size.pt == 22
    )
    assert (
        runs[2]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋" and runs[2].font.size.pt == 16
    )
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    assert completed.short_hash in footer


def test_chinese_numbers() -> None:
    assert [documents.chinese_number(n) for n in (1, 9, 10, 12, 20, 35)] == [
        "一",
        "九",
        "十",
        "十二",
        "二十",
        "三十五",
    ]
