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
    # The elected as announced: in 姓氏笔画 order (陈 7, 项 9, 郭 10), said so.
    assert "支部委员会委员选举结果：陈晓红、项上桢、郭卫民当选（按姓氏笔画为序）。" in text
    assert "未完成" not in text


def test_minutes_print_the_meeting_record(completed: ElectionFile, tmp_path: Path) -> None:
    blank = text_of(documents.write_minutes(completed, tmp_path / "blank.docx"))
    assert "记录人：（记录人）" in blank and "列席：（上级党组织派员）" in blank
    path = tmp_path / "e.gongtui"
    completed.copy_to(path)
    with ElectionFile.open(path) as election:
        election.update_meeting_record(
            "甲",
            "election",
            recorder="沈佳怡",
            delegate="区级机关党工委组织委员 王林",
            starts_at="9:00",
            ends_at="11:30",
        )
        text = text_of(documents.write_minutes(election, tmp_path / "m.docx"))
    lines = text.splitlines()
    assert lines[1:6] == [
        "时间：2026年11月24日9:00至11:30",
        "地点：机关三楼会议室",
        "主持人：项上桢",
        "记录人：沈佳怡",
        "列席：上级党组织派员 区级机关党工委组织委员 王林",
    ]
    assert "（二）听取和审议支部委员会工作报告；" in lines
    assert "（三）表决通过选举办法，表决通过监票人、计票人名单；" in lines
    assert "记录人（沈佳怡）签字：＿＿＿＿＿＿＿＿" in lines
    assert "（地点）" not in text and "（主持人）" not in text


def test_result_report_reports_and_the_request_asks_approval_for_the_secretary(
    completed: ElectionFile, tmp_path: Path
) -> None:
    path = documents.write_result_report(completed, tmp_path / "r.docx")
    text = text_of(path)
    assert text.startswith("关于区统计局党支部选举结果的报告")
    assert "区级机关党工委：" in text
    # A 报告 reports; it never asks (党政机关公文处理工作条例 keeps 请示 apart).
    assert "报请" not in text and "审批" not in text and "请批示" not in text
    assert "书记、副书记的选举结果另行请示。" in text and "特此报告。" in text
    assert "附件：1．选举大会会议记录" in text and "联系人：" in text
    committee = [row for row in table_rows(path) if row[-1] in ("委员", "书记")]
    assert [row[0] for row in committee] == ["陈晓红", "项上桢", "郭卫民"]
    assert next(row for row in committee if row[0] == "项上桢")[-1] == "书记"
    assert documents.needs_approval_request(completed)
    request = text_of(documents.write_approval_request(completed, tmp_path / "q.docx"))
    assert request.startswith("关于区统计局党支部支部书记选举结果的请示")
    assert "项上桢当选为支部书记" in request and "妥否，请批示。" in request
    assert "特此报告" not in request


def test_tally_report_per_round(completed: ElectionFile, tmp_path: Path) -> None:
    for facts in documents.rounds_of(completed):
        path = documents.write_tally_report(completed, facts, tmp_path / f"t{facts.record.id}.docx")
        text = text_of(path)
        assert f"有效票 {facts.result.valid_papers} 张" in text
        assert "应到会有选举权的党员 19 人。" in text and "本轮选举有效" in text
        # One line for each scrutineer and counter chosen, with the printed name.
        for line in (
            "总监票人（周丽萍）签字：",
            "监票人（王秀英）签字：",
            "计票人（吴海涛）签字：",
        ):
            assert line in text
        assert text.startswith("区统计局党支部")
        assert "支部支部" not in text.splitlines()[0]
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
        report = text_of(documents.write_result_report(election, tmp_path / "r.docx"))
        assert "“公推”阶段，民主推荐发出推荐票 9 张，收回 8 张" in report
        assert "经民主测评确定委员预备人选 3 名" in report
        summary = text_of(documents.write_work_summary(election, tmp_path / "w.docx"))
        assert "发出推荐票 9 张，收回 8 张，收回率 88.89%" in summary
        assert "委员选举结果：王五、李四、张三当选（按姓氏笔画为序）" in summary


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
