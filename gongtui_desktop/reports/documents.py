"""The Word documents of the archive: minutes, tally reports, result report, stage summaries,
and the work summary draft (issue #8). Every figure comes from the rules engine's results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

from gongtui_desktop.domain.contest import ContestProgress
from gongtui_desktop.domain.counting import RoundResult
from gongtui_desktop.domain.dates import format_chinese_date
from gongtui_desktop.domain.evaluation import RaterGroup
from gongtui_desktop.domain.numbers import decimal_text, percent, share
from gongtui_desktop.reports.docx_base import (
    add_heading,
    add_signature_block,
    add_table,
    add_text,
    add_title,
    keep_last_with_next,
    keep_with_next,
    new_document,
    save,
)
from gongtui_desktop.services.attendance import meeting_figures
from gongtui_desktop.services.evaluation import evaluation_results, participation
from gongtui_desktop.services.rates import rates
from gongtui_desktop.services.recommendation import CHANNEL_LABELS, rankings, review_rows
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import ContestRecord, RoundRecord, RoundStatus
from gongtui_desktop.store.scans import ScanStatus
from gongtui_desktop.stroke_data import stroke_table

VOTE_HEADERS = ("姓名", "赞成", "不赞成", "弃权", "结果")
DIGITS = "〇一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (headings up to 99)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + ("" if ones == 0 else DIGITS[ones])


@dataclass(frozen=True)
class RoundFacts:
    contest: ContestRecord
    record: RoundRecord
    result: RoundResult


def election_finished(election: ElectionFile) -> bool:
    """Every contest decided and every round confirmed."""
    for record in election.contests():
        rounds = election.rounds(record.id)
        if not rounds or any(r.status is not RoundStatus.CONFIRMED for r in rounds):
            return False
        if not election.contest_progress(record.id).done:
            return False
    return bool(election.contests())


def rounds_of(election: ElectionFile) -> list[RoundFacts]:
    return [
        RoundFacts(record, round_record, election.count(round_record.id))
        for record in election.contests()
        for round_record in election.rounds(record.id)
    ]


def stroke_order(names: tuple[str, ...] | list[str]) -> list[str]:
    """Names as they are announced and reported: in 姓氏笔画 order."""
    return list(stroke_table().order(list(names)).names)


def _state(result: RoundResult, name: str) -> str:
    if not result.round_valid:
        return "本轮无效"
    if name in result.elected:
        return "当选"
    if name in result.tied:
        return "票数相等，重新投票"
    person = result.votes_of(name)
    if not person.electable:
        return "无被选举权"
    return "未当选" if person.passed or not result.threshold_applied else "未过半数，未当选"


def _invalid_text(result: RoundResult) -> str:
    """无效票 N 张 and, when there are any, what made them invalid."""
    parts = [f"{reason.label} {count} 张" for reason, count in result.invalid_by_reason if count]
    detail = f"（其中{'，'.join(parts)}）" if parts else ""
    return f"无效票 {result.invalid_papers} 张{detail}"


def _vote_rows(result: RoundResult) -> list[list[object]]:
    return [
        [
            p.name + ("（另选他人）" if not p.listed else ""),
            p.approvals,
            p.against if p.listed else "—",
            p.abstain if p.listed else "—",
            _state(result, p.name),
        ]
        for p in result.votes
    ]


def _round_paragraphs(facts: RoundFacts, notes: dict[int, str] | None = None) -> list[str]:
    """The round in words; ``notes`` say why a round's 实到 differs from the one before."""
    spec, result, record = facts.record.spec, facts.result, facts.record
    lines = [
        f"第 {record.number} 轮（{spec.kind.label}），应选 {spec.seats} 名，候选人："
        f"{'、'.join(spec.candidates)}。",
    ]
    if notes and record.id in notes:
        lines.append(notes[record.id])
    lines.append(
        f"实到会有选举权的党员 {spec.present_voters} 人，发出选票 {spec.papers_issued} 张，"
        f"收回选票 {result.papers_collected} 张，其中有效票 {result.valid_papers} 张，"
        f"{_invalid_text(result)}。"
    )
    if not result.round_valid:
        lines.append("收回选票多于发出选票，本轮选举无效，依照选举办法重新投票。")
    else:
        relation = "等于" if result.papers_collected == spec.papers_issued else "少于"
        lines.append(f"收回选票{relation}发出选票，本轮选举有效。")
        rule = (
            f"得票超过实到会有选举权人数的半数（{result.threshold} 票以上）始得当选"
            if result.threshold_applied
            else "得票多者当选"
        )
        lines.append(f"按规定，{rule}。")
        if result.elected:
            lines.append(f"当选（按姓氏笔画为序）：{'、'.join(stroke_order(result.elected))}。")
        if result.tied:
            lines.append(
                f"{'、'.join(result.tied)}得票相等，依照选举办法就剩余 "
                f"{result.tie_seats} 个名额在得票相等的人中重新投票。"
            )
        if result.unfilled_seats:
            lines.append(
                f"当选人数少于应选人数，尚差 {result.unfilled_seats} 名，依照选举办法另行选举"
                "或经大会决定减少名额。"
            )
    if record.status is not RoundStatus.CONFIRMED:
        lines.append(f"（本轮状态：{record.status.label}）")
    return lines


@dataclass(frozen=True)
class Movement:
    """A voter's sign-in changed once voting had begun: left (离会) or came (到会)."""

    name: str
    left: bool
    at: str  # 10:42, as the audit entry has it (sign-ins are kept to the minute)
    seq: int


@dataclass(frozen=True)
class MeetingMovements:
    """Who left or came during the election meeting, and 实到 when the first round opened."""

    movements: tuple[Movement, ...]
    present_at_start: int | None
    round_opened: dict[int, int]  # round id → the audit entry that opened it


def _clock_of(at: str) -> str:
    try:
        return datetime.fromisoformat(at).strftime("%H:%M").lstrip("0") or "0:00"
    except ValueError:
        return at


def meeting_movements(election: ElectionFile) -> MeetingMovements:
    """Read from the audit log (sign-ins are audited to the minute): every change of a
    voter's sign-in at the election meeting after its first round was opened. A voter
    marked 缺席 or 请假 then has left the meeting, one marked 到会 has come."""
    figures = meeting_figures(election, "election")
    voters = {p.id: p.person.name for p in figures.voters}
    meeting_id: object = None
    status: dict[object, str] = {}
    opened: dict[int, int] = {}
    present_at_start: int | None = None
    movements: list[Movement] = []
    for entry in election.audit_entries():
        try:
            changes = json.loads(entry.changes)
        except ValueError:
            continue
        for change in changes:
            table, row = change.get("table"), change.get("row")
            if not isinstance(row, dict):
                continue
            if table == "meetings" and row.get("kind") == "election":
                meeting_id = row.get("id")
            elif table == "rounds" and change.get("op") == "insert":
                if not opened:
                    present_at_start = sum(1 for pid in voters if status.get(pid) == "present")
                opened.setdefault(int(row["id"]), entry.seq)
            elif table == "attendance" and row.get("meeting_id") == meeting_id:
                person = row.get("person_id")
                before = status.get(person, "")
                after = "" if change.get("op") == "delete" else str(row.get("status"))
                status[person] = after
                if opened and person in voters and (before == "present") != (after == "present"):
                    movements.append(
                        Movement(
                            voters[person], before == "present", _clock_of(entry.at), entry.seq
                        )
                    )
    return MeetingMovements(tuple(movements), present_at_start, opened)


def _movement_text(movements: list[Movement] | tuple[Movement, ...]) -> str:
    return "，".join(f"{m.name} {m.at}{'离会' if m.left else '到会'}" for m in movements)


def round_changes(election: ElectionFile) -> dict[int, str]:
    """Round id → why its 实到会 differs from the round opened before it in the meeting:
    who left or came, and when; a blank to fill in when the sign-ins do not say."""
    moves = meeting_movements(election)
    records = {r.id: r for contest in election.contests() for r in election.rounds(contest.id)}
    order = sorted((seq, rid) for rid, seq in moves.round_opened.items() if rid in records)
    notes: dict[int, str] = {}
    for (before_seq, before_id), (seq, round_id) in pairwise(order):
        change = records[round_id].spec.present_voters - records[before_id].spec.present_voters
        if change == 0:
            continue
        between = [m for m in moves.movements if before_seq < m.seq < seq]
        net = sum(-1 if m.left else 1 for m in between)
        more = "多" if change > 0 else "少"
        line = f"本轮实到会有选举权的党员比上一轮{more} {abs(change)} 人"
        if between and net == change:
            line += f"：{_movement_text(between)}。"
        elif between:
            line += f"（签到记录：{_movement_text(between)}；其余离会、到会人员及时间：＿＿＿＿）。"
        else:
            line += "（离会、到会人员及时间：＿＿＿＿）。"
        notes[round_id] = line
    return notes


BOX_HEADERS = ("票箱", "计票机", "发出选票", "收回选票", "录入选票", "核对")


def _box_rows(election: ElectionFile, facts: RoundFacts) -> list[list[object]]:
    """分箱计票: each box's papers issued, collected and entered, and the total (issue #10)."""
    boxes = election.batches(facts.record.id)
    if not boxes:
        return []
    rows: list[list[object]] = []
    counted = election.papers(facts.record.id)
    own = [p for p in counted if not p.box]
    if own:
        rows.append(["主计票机", "本机", "—", "—", len(own), ""])
    for box, station, issued, collected, _ in boxes:
        # Entered is what counts now, not what the box file carried when it was imported.
        entered = sum(1 for p in counted if p.box == box)
        check = (
            "收回多于发出"
            if collected > issued
            else ("相符" if entered == collected else "录入与收回不等")
        )
        rows.append([box, station, issued, collected, entered, check])
    rows.append(
        [
            "合计",
            "",
            sum(b[2] for b in boxes),
            sum(b[3] for b in boxes),
            len(counted),
            "",
        ]
    )
    return rows


def scan_line(election: ElectionFile, facts: RoundFacts) -> str | None:
    """扫描计票 (issue #11): how many of the round's papers were read from scans, how many of
    those a person adjudicated, and the pages set aside — or None for a round keyed by hand."""
    pages = election.scan_pages(facts.record.id)
    if not pages:
        return None
    counted = [p for p in pages if p.status is ScanStatus.COUNTED]
    decided = sum(1 for p in counted if p.decided_by is not None)
    set_aside = [p for p in pages if p.status is ScanStatus.REJECTED]
    pending = sum(1 for p in pages if p.status is ScanStatus.PENDING)
    line = (
        f"本轮扫描选票 {len(pages)} 页，计入 {len(counted)} 张，其中程序识别 "
        f"{len(counted) - decided} 张、计票人对照图像核定 {decided} 张"
    )
    if set_aside:
        reasons = "；".join(f"{p.source}：{p.decision}" for p in set_aside)
        line += f"；不计入本轮 {len(set_aside)} 页（{reasons}）"
    if pending:
        line += f"；尚待核定 {pending} 页"
    return line + "。扫描图像及每一格的识别结果保存在选举文件中。"


def _add_boxes(document, election: ElectionFile, facts: RoundFacts) -> None:  # type: ignore[no-untyped-def]
    """How the round's papers were gathered: ballot boxes (issue #10) and scans (issue #11)."""
    rows = _box_rows(election, facts)
    if rows:
        add_text(document, "本轮分箱计票，各票箱情况如下：")
        add_table(document, BOX_HEADERS, rows)
    scanned = scan_line(election, facts)
    if scanned is not None:
        add_text(document, scanned)


def _progress_line(progress: ContestProgress) -> str:
    if progress.done:
        reduced = (
            f"（经大会决定减少名额 {progress.seats_reduced} 名）" if progress.seats_reduced else ""
        )
        names = "、".join(stroke_order(progress.elected))
        return f"{progress.contest.display_title}选举结果：{names}当选（按姓氏笔画为序）{reduced}。"
    following = progress.next_round
    assert following is not None
    return f"{progress.contest.display_title}尚未选举完毕：{following.reason}"


def _details(election: ElectionFile) -> tuple[str, str, str, str]:
    """Organization, date, place and chair of the election meeting (blanks to fill in if unset)."""
    meeting = election.meeting_record("election")
    held = meeting["held_on"]
    when = format_chinese_date(date.fromisoformat(str(held))) if held else "（日期）"
    return (
        str(election.election_details()["organization"]),
        when,
        str(meeting["place"] or "（地点）"),
        str(meeting["chair"] or "（主持人）"),
    )


def _scrutineer_names(election: ElectionFile) -> list[str]:
    names = {p.id: p.person.name for p in election.people()}
    return [f"{role.label} {names.get(pid, '?')}" for pid, role in election.scrutineers()]


def _clock(text: object) -> str:
    """ "09:05" as written in minutes: 9:05."""
    value = str(text or "")
    return value[1:] if value.startswith("0") else value


def meeting_header(election: ElectionFile) -> list[str]:
    """时间, 地点, 主持人, 记录人 and 列席 of the election meeting as the minutes open;
    a field not yet entered is a blank to fill in by hand."""
    record = election.meeting_record("election")
    _, when, place, chair = _details(election)
    start, end = _clock(record["starts_at"]), _clock(record["ends_at"])
    span = f"{start or '（　时　分）'}至{end or '（　时　分）'}"
    delegate = str(record["delegate"] or "")
    return [
        f"时间：{when}{span}",
        f"地点：{place}",
        f"主持人：{chair}",
        f"记录人：{record['recorder'] or '（记录人）'}",
        f"列席：{'上级党组织派员 ' + delegate if delegate else '（上级党组织派员）'}",
    ]


def write_minutes(election: ElectionFile, path: Path) -> Path:
    """选举大会会议记录."""
    organization = str(election.election_details()["organization"])
    document = new_document()
    add_title(
        document,
        f"{organization}选举大会会议记录",
        unfinished=not election_finished(election),
        keep=(organization,),
    )
    for line in meeting_header(election):
        add_text(document, line, indent=False)
    add_heading(document, "一、会议议程")
    for item in (
        "（一）报告应到会和实到会人数，宣布会议有效；",
        "（二）听取和审议支部委员会工作报告；",
        "（三）表决通过选举办法，表决通过监票人、计票人名单；",
        "（四）介绍候选人情况；",
        "（五）检查票箱，发放选票，说明填写方法，投票；",
        "（六）清点选票，计票，宣布计票结果；",
        "（七）宣布当选名单。",
    ):
        add_text(document, item)
    figures = meeting_figures(election, "election")
    add_heading(document, "二、到会情况")
    add_text(document, figures.announcement(after_meeting=True))
    moves = meeting_movements(election)
    if moves.movements:
        start = moves.present_at_start
        opening = "" if start is None else f"投票开始时实到会有选举权的党员 {start} 人；"
        add_text(document, f"{opening}会议进行中，{_movement_text(moves.movements)}。")
    notes = round_changes(election)
    scrutineers = _scrutineer_names(election)
    add_heading(document, "三、监票人、计票人")
    add_text(
        document, "大会推选：" + ("，".join(scrutineers) if scrutineers else "（未记录）") + "。"
    )
    add_heading(document, "四、选举情况")
    for record in election.contests():
        add_heading(
            document, f"（{chinese_number(record.ordinal)}）{record.contest.display_title}", level=2
        )
        for facts in rounds_of(election):
            if facts.contest.id != record.id:
                continue
            for line in _round_paragraphs(facts, notes):
                add_text(document, line)
            _add_boxes(document, election, facts)
            add_table(document, VOTE_HEADERS, _vote_rows(facts.result))
        add_text(document, _progress_line(election.contest_progress(record.id)))
    keep_last_with_next(document)
    add_heading(document, "五、签字")
    record = election.meeting_record("election")
    signers = [
        ("会议主持人", str(record["chair"] or "")),
        ("记录人", str(record["recorder"] or "")),
    ]
    add_signature_block(
        document, [*_signature_lines(signers), *_signature_lines(_scrutineer_signers(election))]
    )
    return save(document, path, election.short_hash, author=organization)


def _scrutineer_signers(election: ElectionFile) -> list[tuple[str, str]]:
    """(role, name) of every 总监票人, 监票人 and 计票人 chosen; a blank line per role
    nobody has been recorded for."""
    names = {p.id: p.person.name for p in election.people()}
    chosen = [(role.label, names.get(pid, "")) for pid, role in election.scrutineers()]
    for label in ("总监票人", "监票人", "计票人"):
        if not any(role == label for role, _ in chosen):
            chosen.append((label, ""))
    order = {"总监票人": 0, "监票人": 1, "计票人": 2}
    return sorted(chosen, key=lambda item: order.get(item[0], 3))


def _signature_lines(signers: list[tuple[str, str]]) -> list[str]:
    """One line per person: role, printed name, and the space to sign."""
    return [
        f"{role}{'（' + name + '）' if name else ''}签字：＿＿＿＿＿＿＿＿"
        for role, name in signers
    ]


def report_title(organization: str, contest_title: str) -> str:
    """计票结果报告单 title without 支部 twice: 第二党支部 + 支部委员会委员 reads
    第二党支部委员会委员."""
    if organization.endswith("支部") and contest_title.startswith("支部"):
        contest_title = contest_title[2:]
    return f"{organization}{contest_title}选举计票结果报告单"


def write_tally_report(election: ElectionFile, facts: RoundFacts, path: Path) -> Path:
    """计票结果报告单 of one round, for the chief scrutineer to read out and sign."""
    organization = str(election.election_details()["organization"])
    document = new_document()
    unfinished = facts.record.status is not RoundStatus.CONFIRMED
    add_title(
        document,
        report_title(organization, facts.contest.contest.display_title),
        unfinished=unfinished,
        keep=(organization,),
    )
    figures = meeting_figures(election, "election")
    add_text(document, f"应到会有选举权的党员 {figures.expected} 人。")
    for line in _round_paragraphs(facts, round_changes(election)):
        add_text(document, line)
    _add_boxes(document, election, facts)
    add_table(document, VOTE_HEADERS, _vote_rows(facts.result))
    add_signature_block(
        document, _signature_lines(_scrutineer_signers(election)), date_line="　　年　　月　　日"
    )
    return save(document, path, election.short_hash, author=organization)


def _month(value: date | None) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""


def committee_rows(election: ElectionFile) -> list[list[object]]:
    """The new committee's basic information from the roster, in 姓氏笔画 order: 姓名,
    性别, 出生年月, 入党时间, 学历 (not kept in the roster: left to fill in), 职务."""
    duties: dict[str, list[str]] = {}
    for record in election.contests():
        progress = election.contest_progress(record.id)
        for name in progress.elected:
            duties.setdefault(name, []).append(record.contest.position.label)
    people = {p.person.name: p for p in election.people()}
    rows: list[list[object]] = []
    for name in stroke_order(list(duties)):
        person = people.get(name)
        # 书记 and 副书记 are also members of the committee: the higher post is named.
        titles = [t for t in duties[name] if t != "委员"] or duties[name]
        rows.append(
            [
                name,
                (person.gender or "") if person else "",
                _month(person.person.birth) if person else "",
                _month(person.person.joined) if person else "",
                "",
                "、".join(titles),
            ]
        )
    return rows


def _pending_approval(election: ElectionFile) -> list[tuple[str, tuple[str, ...]]]:
    """(contest title, elected) of every decided contest whose result the higher
    organisation approves: 书记 and 副书记."""
    pending = []
    for record in election.contests():
        progress = election.contest_progress(record.id)
        if record.contest.position.needs_higher_approval and progress.elected:
            pending.append((record.contest.display_title, progress.elected))
    return pending


def _public_stage(election: ElectionFile) -> list[str]:
    """One paragraph on the 公推 stage: recommendation, review, evaluation figures."""
    parts: list[str] = []
    counts = election.form_counts("recommendation")
    issued = sum(i for i, _ in counts.values())
    returned = sum(r for _, r in counts.values())
    if issued:
        parts.append(f"民主推荐发出推荐票 {issued} 张，收回 {returned} 张")
    chosen = sum(len(r.result.shortlist.chosen) for r in rankings(election))
    if chosen:
        parts.append(f"按得票确定初步人选 {chosen} 名")
    reviewed = review_rows(election)
    if reviewed:
        passed = sum(1 for r in reviewed if r.decision)
        parts.append(f"经资格审查，{passed} 名符合条件")
    for group, figures in participation(election).items():
        if figures.issued:
            parts.append(
                f"{group.label}民主测评发出测评表 {figures.issued} 张，收回 {figures.returned} 张"
            )
    for result in evaluation_results(election):
        chosen_names = [result.name(k) for k in result.overall.shortlist.chosen]
        if chosen_names:
            parts.append(f"经民主测评确定{result.position.label}预备人选 {len(chosen_names)} 名")
    if not parts:
        return []
    return ["“公推”阶段，" + "；".join(parts) + "。"]


def _sign_off(document, organization: str, when: str) -> None:  # type: ignore[no-untyped-def]
    """落款: the organisation and the date, right-aligned with room for the seal."""
    keep_last_with_next(document)
    keep_with_next(document.add_paragraph())
    keep_with_next(add_text(document, organization, align_right=True, indent=False))
    add_text(document, when, align_right=True, indent=False)


def write_result_report(election: ElectionFile, path: Path) -> Path:
    """关于…选举结果的报告 to the higher organization: it reports, it does not ask; the
    approval R14 requires for 书记/副书记 is asked in a separate 请示."""
    details = election.election_details()
    organization, when, _, _ = _details(election)
    higher = str(details.get("higher_organization") or "（上级党组织）")
    document = new_document()
    add_title(
        document,
        f"关于{organization}选举结果的报告",
        unfinished=not election_finished(election),
        keep=(organization,),
    )
    add_text(document, f"{higher}：", indent=False)
    figures = meeting_figures(election, "election")
    add_text(
        document,
        f"根据《中国共产党基层组织选举工作条例》，{organization}于{when}召开党员大会进行选举。"
        f"{figures.announcement(after_meeting=True)}现将选举结果报告如下：",
    )
    for paragraph in _public_stage(election):
        add_text(document, paragraph)
    notes = round_changes(election)
    for record in election.contests():
        progress = election.contest_progress(record.id)
        add_heading(document, f"{record.contest.display_title}选举", level=2)
        for facts in rounds_of(election):
            if facts.contest.id == record.id:
                for line in _round_paragraphs(facts, notes):
                    add_text(document, line)
                add_table(document, VOTE_HEADERS, _vote_rows(facts.result))
        add_text(document, _progress_line(progress))
    members = committee_rows(election)
    if members:
        add_text(document, "新一届委员会成员基本情况如下（按姓氏笔画为序）：")
        add_table(document, COMMITTEE_HEADERS, members)
    pending = _pending_approval(election)
    if pending:
        add_text(document, "书记、副书记的选举结果另行请示。")
    add_text(document, "特此报告。")
    add_text(document, "附件：1．选举大会会议记录", indent=True)
    add_text(document, "　　　2．计票结果报告单", indent=True)
    add_text(document, "联系人：＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿", indent=True)
    _sign_off(document, organization, when)
    return save(document, path, election.short_hash, author=organization)


COMMITTEE_HEADERS = ("姓名", "性别", "出生年月", "入党时间", "学历", "职务")


def needs_approval_request(election: ElectionFile) -> bool:
    return bool(_pending_approval(election))


def write_approval_request(election: ElectionFile, path: Path) -> Path:
    """关于…的请示: the 书记/副书记 elected, for the higher organisation's approval (R14)."""
    details = election.election_details()
    organization, when, _, _ = _details(election)
    higher = str(details.get("higher_organization") or "（上级党组织）")
    pending = _pending_approval(election)
    posts = "、".join(title for title, _ in pending)
    document = new_document()
    add_title(
        document,
        f"关于{organization}{posts}选举结果的请示",
        unfinished=not election_finished(election),
        keep=(organization,),
    )
    add_text(document, f"{higher}：", indent=False)
    elected = "；".join(f"{'、'.join(names)}当选为{title}" for title, names in pending)
    add_text(
        document,
        f"{organization}于{when}召开党员大会进行换届选举，选举产生了新一届支部委员会，"
        f"{elected}。选举结果已另行报告。",
    )
    add_text(
        document,
        "根据《中国共产党基层组织选举工作条例》规定，书记、副书记的选举结果须报上级党组织批准。"
        "现报请审批。",
    )
    members = committee_rows(election)
    if members:
        add_table(document, COMMITTEE_HEADERS, members)
    add_text(document, "妥否，请批示。")
    add_text(document, "联系人：＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿", indent=True)
    _sign_off(document, organization, when)
    return save(document, path, election.short_hash, author=organization)


def write_recommendation_summary(election: ElectionFile, path: Path) -> Path:
    """民主推荐情况汇总 (N1–N5)."""
    organization = str(election.election_details()["organization"])
    document = new_document()
    closed = election.stage_status("recommendation") == "closed"
    add_title(
        document, f"{organization}民主推荐情况汇总", unfinished=not closed, keep=(organization,)
    )
    counts = election.form_counts("recommendation")
    for channel, (issued, returned) in sorted(counts.items()):
        add_text(
            document, f"{CHANNEL_LABELS[channel]}：发出推荐票 {issued} 张，收回 {returned} 张。"
        )
    for ranking in rankings(election):
        shortlist = ranking.result.shortlist
        add_heading(document, f"{ranking.position.label}（职数 {ranking.seats} 名）", level=2)
        rows = [
            [
                number,
                ranking.name(key),
                ranking.tallies[key].member,
                ranking.tallies[key].mass,
                "是" if ranking.tallies[key].organization else "",
                "是" if ranking.tallies[key].self_nominated else "",
                decimal_text(score),
                "是" if key in shortlist.chosen else "",
            ]
            for number, (key, score) in enumerate(shortlist.ranking, start=1)
        ]
        add_table(
            document,
            ("名次", "姓名", "党员推荐", "群众推荐", "组织推荐", "自荐", "得分", "初步人选"),
            rows,
        )
        add_text(
            document,
            f"按差额比例 {percent(ranking.ratio, 0)} 确定初步人选 {shortlist.size} 名："
            f"{'、'.join(ranking.name(k) for k in shortlist.chosen)}。"
            + (
                f"其中{'、'.join(ranking.name(k) for k in shortlist.tied_at_cutoff)}得分相同，全部保留。"
                if shortlist.tied_at_cutoff
                else ""
            ),
        )
    return save(document, path, election.short_hash, author=organization)


def write_review_summary(election: ElectionFile, path: Path) -> Path:
    """资格审查情况 (N4)."""
    organization = str(election.election_details()["organization"])
    document = new_document()
    rows = review_rows(election)
    add_title(
        document,
        f"{organization}初步人选资格审查情况",
        unfinished=any(r.decision is None for r in rows) or not rows,
        keep=(organization,),
    )
    add_table(
        document,
        ("职务", "姓名", "对照资格条件", "审查决定", "说明"),
        [
            [
                r.position.label,
                r.name,
                "符合"
                if r.check.eligible
                else "不符合：" + "；".join(f.detail for f in r.check.failures),
                {None: "待定", True: "通过", False: "不通过"}[r.decision],
                r.note,
            ]
            for r in rows
        ],
    )
    publicity = election.publicity().get("recommendation")
    if publicity and publicity[0] and publicity[1]:
        add_text(
            document,
            f"公示时间：{format_chinese_date(date.fromisoformat(publicity[0]))}至"
            f"{format_chinese_date(date.fromisoformat(publicity[1]))} (N6)。",
        )
    return save(document, path, election.short_hash, author=organization)


def write_evaluation_summary(election: ElectionFile, path: Path) -> Path:
    """民主测评情况汇总, with the veto reasons (E1–E5)."""
    organization = str(election.election_details()["organization"])
    document = new_document(landscape=True)
    closed = election.stage_status("evaluation") == "closed"
    add_title(
        document, f"{organization}民主测评情况汇总", unfinished=not closed, keep=(organization,)
    )
    for group, figures in participation(election).items():
        if figures.issued:
            add_text(
                document,
                f"{group.label}测评表发出 {figures.issued} 张，收回 {figures.returned} 张，"
                f"参与率 {percent(figures.rate)}。",
            )
    labels = election.plan().evaluation.labels
    for result in evaluation_results(election):
        add_heading(document, f"{result.position.label}", level=2)
        rows = []
        for candidate in result.overall.candidates:
            shares = [
                "无有效评价"
                if d.no_ratings
                else f"{labels[0]}{d.counts[0]}/{d.rated} {percent(d.share)}"
                for d in candidate.dimensions
            ]
            rows.append(
                [
                    result.name(candidate.name),
                    *shares,
                    decimal_text(candidate.composite, 2),
                    "是" if candidate.name in result.overall.shortlist.chosen else "",
                    "；".join(candidate.veto_reasons),
                ]
            )
        add_table(
            document,
            ("姓名", "德", "能", "勤", "纪", "廉", "综合得分", "预备人选", "否决理由"),
            rows,
        )
        members = result.by_group[RaterGroup.MEMBER]
        add_text(
            document,
            "党员测评中各方面“优”的比例："
            + "；".join(
                f"{result.name(c.name)} " + "、".join(percent(d.share, 0) for d in c.dimensions)
                for c in members.candidates
            )
            + "。",
        )
    return save(document, path, election.short_hash, author=organization)


def write_work_summary(election: ElectionFile, path: Path) -> Path:
    """工作总结 draft in the shape of the seed reports, every figure filled in."""
    organization, when, _, _ = _details(election)
    document = new_document()
    add_title(
        document,
        f"{organization}换届“公推直选”工作总结（初稿）",
        unfinished=not election_finished(election),
        keep=(organization,),
    )
    add_text(
        document,
        f"{organization}在上级党组织的指导下，按照《中国共产党基层组织选举工作条例》和“公推直选”"
        "工作要求，完成了换届选举工作。现将有关情况总结如下：",
    )
    add_heading(document, "一、主要做法")
    add_heading(document, "（一）加强领导，认真筹备", level=2)
    add_text(document, "（请填写：成立选举工作领导小组、制定实施方案、报上级党组织批准的情况。）")
    add_heading(document, "（二）民主推荐，资格审查", level=2)
    counts = election.form_counts("recommendation")
    issued = sum(i for i, _ in counts.values())
    returned = sum(r for _, r in counts.values())
    if issued:
        add_text(
            document,
            f"发出推荐票 {issued} 张，收回 {returned} 张，收回率 {percent(share(returned, issued))}。",
        )
    for ranking in rankings(election):
        add_text(
            document,
            f"{ranking.position.label}共推荐 {len(ranking.tallies)} 人，按规定确定初步人选 "
            f"{len(ranking.result.shortlist.chosen)} 名："
            f"{'、'.join(ranking.name(k) for k in ranking.result.shortlist.chosen)}。",
        )
    passed = [r.name for r in review_rows(election) if r.decision]
    if passed:
        add_text(document, f"经资格审查，{'、'.join(passed)}符合条件。")
    add_heading(document, "（三）民主测评，确定候选人", level=2)
    for result in evaluation_results(election):
        vetoed = [result.name(c.name) for c in result.overall.candidates if c.vetoed]
        chosen = [result.name(k) for k in result.overall.shortlist.chosen]
        add_text(
            document,
            f"{result.position.label}测评对象 {len(result.overall.candidates)} 人，"
            + (f"{'、'.join(vetoed)}因测评未达到“优”被否决；" if vetoed else "")
            + f"确定预备人选 {len(chosen)} 名：{'、'.join(chosen)}。",
        )
    add_heading(document, "（四）直接选举，产生班子", level=2)
    figures = meeting_figures(election, "election")
    add_text(document, f"选举大会于{when}召开。{figures.announcement(after_meeting=True)}")
    for record in election.contests():
        add_text(document, _progress_line(election.contest_progress(record.id)))
    add_heading(document, "二、有关数据")
    for rate in rates(election):
        add_text(document, rate.text() + "。")
    add_heading(document, "三、几点体会")
    add_text(document, "（请填写。）")
    _sign_off(document, organization, when)
    return save(document, path, election.short_hash, author=organization)
