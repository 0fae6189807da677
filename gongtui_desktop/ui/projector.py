"""The projector window: the live count, readable from the back of the room.

Everything is drawn with QPainter in sizes relative to the window, so the same
window reads well at 1920×1080 and at 1024×768. Repaints are scheduled with
``update()``: Qt merges them, so a fast typist never waits for the projector.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from gongtui_desktop.domain.counting import PersonVotes, RoundResult
from gongtui_desktop.domain.numbers import decimal_text, percent
from gongtui_desktop.services.attendance import MeetingFigures, meeting_figures
from gongtui_desktop.services.evaluation import PositionEvaluation
from gongtui_desktop.services.recommendation import PositionRanking
from gongtui_desktop.services.station import Change, ChangeKind, CountingStation
from gongtui_desktop.store.records import RoundStatus
from gongtui_desktop.ui.text import round_title

BACKGROUND = QColor("#0b1f3a")
TEXT = QColor("#ffffff")
MUTED = QColor("#b8c7e0")
BAR = QColor("#4f8fd8")
PASS = QColor("#3cc47c")
TIE = QColor("#f2c14e")
THRESHOLD = QColor("#ff6b6b")


class ProjectorMode(Enum):
    RECOMMENDATION = "recommendation"
    EVALUATION = "evaluation"
    ATTENDANCE = "attendance"
    LIVE = "live"
    HIDDEN = "hidden"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {
            "recommendation": "民主推荐排名",
            "evaluation": "民主测评结果",
            "attendance": "到会情况",
            "live": "实时计票",
            "hidden": "计票中（结果暂不显示）",
            "final": "选举结果",
        }[self.value]


class ProjectorWindow(QWidget):
    """A top-level window following one counting station."""

    def __init__(self, station: CountingStation, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.station = station
        self.setWindowTitle(f"投影 — {title}")
        self.mode = ProjectorMode.LIVE
        self.contest_title = ""
        self._result: RoundResult | None = None
        self._attendance: MeetingFigures | None = None
        self.unsettled = 0
        self.scans_waiting = 0
        self.code: str | None = None
        # Set by the main window: gives the ranking to show in RECOMMENDATION mode.
        self.recommendation: Callable[[], PositionRanking | None] | None = None
        self.evaluation: Callable[[], PositionEvaluation | None] | None = None
        self.paints = 0
        self.resize(1024, 768)

    def follow(self, change: Change | None = None) -> None:
        """Take the station's newest figures and schedule a repaint."""
        self._result = self.station.result()
        record = self.station.round
        check = self.station.double_entry() if record is not None else None
        self.unsettled = 0 if check is None else check.unsettled
        self.scans_waiting = (
            0
            if record is None or record.status is not RoundStatus.OPEN
            else self.station.election.pending_scans(record.id)
        )
        self.code = (
            self.station.election.round_code(record.id)
            if record is not None and record.status is RoundStatus.CONFIRMED
            else None
        )
        title_changes = (ChangeKind.ROUND_SELECTED, ChangeKind.ROUND_UPDATED)
        if record is not None and (change is None or change.kind in title_changes):
            contest = self.station.election.contest(record.contest_id)
            self.contest_title = f"{contest.contest.display_title}　{round_title(record)}"
        self.update()

    def set_mode(self, mode: ProjectorMode) -> None:
        self.mode = mode
        self.refresh_attendance()

    def refresh_attendance(self) -> None:
        """The election meeting's figures: the quorum line and the announcement (R3)."""
        self._attendance = meeting_figures(self.station.election, "election")
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F11:
            self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)
        elif event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)

    def _font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(10, int(size)))
        font.setBold(bold)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width(), self.height()
        painter.fillRect(self.rect(), BACKGROUND)
        unit = min(height / 22, width / 34)
        margin = unit
        painter.setPen(TEXT)
        painter.setFont(self._font(unit * 1.3, bold=True))
        painter.drawText(
            QRectF(margin, margin * 0.5, width - 2 * margin, unit * 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._heading(),
        )
        if self.mode is ProjectorMode.ATTENDANCE:
            self._paint_attendance(painter, unit)
            painter.end()
            return
        if self.mode is ProjectorMode.EVALUATION:
            evaluation = self.evaluation() if self.evaluation is not None else None
            if evaluation is not None:
                self._paint_evaluation(painter, evaluation, unit)
            painter.end()
            return
        if self.mode is ProjectorMode.RECOMMENDATION:
            ranking = self.recommendation() if self.recommendation is not None else None
            if ranking is not None:
                self._paint_recommendation(painter, ranking, unit)
            painter.end()
            return
        result = self._result
        record = self.station.round
        if result is None or record is None:
            painter.end()
            return
        painter.setPen(MUTED)
        lines = self.summary_lines(result)
        font = self._fitting_font(unit * 0.9, lines, width - 2 * margin)
        painter.setFont(font)
        for number, line in enumerate(lines):
            painter.drawText(
                QRectF(
                    margin, margin * 0.5 + unit * (2 + number * 1.2), width - 2 * margin, unit * 1.2
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        top = margin * 0.5 + unit * 4.8
        if self.mode is ProjectorMode.HIDDEN and record.status is RoundStatus.OPEN:
            painter.setPen(TEXT)
            painter.setFont(self._font(unit * 2.4, bold=True))
            painter.drawText(
                QRectF(0, top, width, height - top), Qt.AlignmentFlag.AlignCenter, "计票中……"
            )
            painter.end()
            return
        if self.mode is ProjectorMode.FINAL:
            self._paint_final(painter, result, top, unit)
        else:
            self._paint_bars(painter, result, top, unit)
        painter.end()

    def _heading(self) -> str:
        """What the screen shows, never the round's title over another stage's figures."""
        if self.mode is ProjectorMode.ATTENDANCE:
            return "选举大会到会情况"
        if self.mode is ProjectorMode.EVALUATION:
            return "民主测评结果"
        if self.mode is ProjectorMode.RECOMMENDATION:
            return "民主推荐结果"
        return self.contest_title or "公推直选计票"

    def summary_lines(self, result: RoundResult) -> list[str]:
        """The papers in two lines, the second only for what the room waits for."""
        record = self.station.round
        collected = None if record is None else record.papers_collected
        quorum = (
            ""
            if self._attendance is None
            else f"应到 {self._attendance.expected} 人　实到 {self._attendance.present} 人　"
        )
        first = (
            quorum
            + (f"发出 {record.spec.papers_issued} 张　" if record is not None else "")
            + (f"收回 {collected} 张　" if collected is not None else "")
            + f"已录入 {result.papers_collected} 张　有效 {result.valid_papers}　无效 {result.invalid_papers}"
        )
        second = [f"当选须 ≥ {result.threshold} 票" if result.threshold_applied else "得票多者当选"]
        if self.unsettled:
            second.append(f"双人录入待核对 {self.unsettled} 张")
        if self.scans_waiting:
            second.append(f"扫描选票待核定 {self.scans_waiting} 张")
        return [first, "　".join(second)]

    def _fitting_font(
        self, size: float, lines: Sequence[str], room: float, bold: bool = False
    ) -> QFont:
        """The size asked for, smaller where a line would not fit: never cut a figure."""
        font = self._font(size, bold)
        widest = max(QFontMetricsF(font).horizontalAdvance(line) for line in lines)
        if widest > room:
            font = self._font(size * room / widest * 0.98, bold)
        return font

    def _paint_bars(self, painter: QPainter, result: RoundResult, top: float, unit: float) -> None:
        width, height = self.width(), self.height()
        people = result.votes
        if not people:
            return
        rows = len(people)
        row_height = min(unit * 3.0, (height - top - unit * 2) / rows)
        big = self._font(row_height * 0.55, bold=True)
        small = self._font(row_height * 0.36)
        details = [
            f"不赞成 {p.against}　弃权 {p.abstain}" if p.listed else "另选他人" for p in people
        ]
        name_width, figure_width = self._column_widths(big, small, people, details, unit)
        room = width - 2 * unit - unit * 6  # keep at least six units for the bars
        if name_width + figure_width > room:
            # Long names on a small screen: shrink the text, never cut it.
            factor = room / (name_width + figure_width)
            big = self._font(big.pixelSize() * factor, bold=True)
            small = self._font(small.pixelSize() * factor)
            name_width, figure_width = self._column_widths(big, small, people, details, unit)
        left = unit + name_width
        right = width - unit - figure_width
        scale_max = max(result.spec.present_voters, max(p.approvals for p in people), 1)
        # While papers are still being entered no bar may look like "elected".
        record = self.station.round
        decided = record is not None and record.status is not RoundStatus.OPEN
        approvals_width = QFontMetricsF(big).horizontalAdvance("0000")
        for row, person in enumerate(people):
            y = top + row * row_height
            painter.setPen(TEXT)
            painter.setFont(big)
            painter.drawText(
                QRectF(unit, y, name_width - unit * 0.5, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                person.name,
            )
            colour = (
                BAR
                if not decided
                else PASS
                if person.name in result.elected
                else TIE
                if person.name in result.tied
                else BAR
            )
            bar = (right - left) * person.approvals / scale_max
            painter.fillRect(QRectF(left, y + row_height * 0.15, bar, row_height * 0.7), colour)
            x = right + unit * 0.5
            painter.drawText(
                QRectF(x, y, approvals_width, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(person.approvals),
            )
            painter.setPen(MUTED)
            painter.setFont(small)
            painter.drawText(
                QRectF(x + approvals_width + unit * 0.4, y, figure_width, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                details[row],
            )
        if result.threshold_applied:
            x = left + (right - left) * result.threshold / scale_max
            pen = QPen(THRESHOLD)
            pen.setWidthF(max(2.0, unit * 0.12))
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            bottom = top + rows * row_height
            painter.drawLine(int(x), int(top), int(x), int(bottom))
            painter.setFont(self._font(unit * 0.8, bold=True))
            painter.drawText(
                QRectF(x - unit * 5, bottom, unit * 10, unit * 1.4),
                Qt.AlignmentFlag.AlignCenter,
                f"过半数 {result.threshold} 票",
            )

    @staticmethod
    def _column_widths(
        big: QFont, small: QFont, people: Sequence[PersonVotes], details: list[str], unit: float
    ) -> tuple[float, float]:
        names = QFontMetricsF(big)
        figures = QFontMetricsF(small)
        name_width = max(names.horizontalAdvance(p.name) for p in people) + unit
        figure_width = (
            names.horizontalAdvance("0000")
            + unit * 0.4
            + max(figures.horizontalAdvance(d) for d in details)
            + unit
        )
        return name_width, figure_width

    def _paint_attendance(self, painter: QPainter, unit: float) -> None:
        figures = self._attendance
        if figures is None:
            return
        width, height = self.width(), self.height()
        top = unit * 3.5
        painter.setPen(TEXT)
        painter.setFont(self._font(unit * 1.5, bold=True))
        rows = (
            ("应到会", figures.expected),
            ("实到会", figures.present),
            ("请　假", figures.leave),
            ("缺　席", figures.marked_absent),
        ) + ((("未签到", figures.not_signed_in),) if figures.not_signed_in else ())
        for number, (label, value) in enumerate(rows):
            painter.drawText(
                QRectF(unit * 2, top + number * unit * 2.2, width - unit * 4, unit * 2.2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{label}　{value} 人",
            )
        painter.setFont(self._font(unit * 1.05))
        painter.setPen(PASS if figures.quorum.met else THRESHOLD)
        body = top + len(rows) * unit * 2.2 + unit
        painter.drawText(
            QRectF(unit * 2, body, width - unit * 4, height - body - unit),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            figures.announcement(),
        )

    def _paint_recommendation(
        self, painter: QPainter, ranking: PositionRanking, unit: float
    ) -> None:
        """Scores as bars, the 初步人选 highlighted, people tied at the line in yellow (N3, N5)."""
        shortlist = ranking.result.shortlist
        rows = shortlist.ranking
        if not rows:
            return
        width, height = self.width(), self.height()
        top = unit * 3.5
        painter.setPen(MUTED)
        painter.setFont(self._font(unit * 0.9))
        painter.drawText(
            QRectF(unit, unit * 2.2, width - 2 * unit, unit * 1.4),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{ranking.position.label}　初步人选 {shortlist.size} 名（绿色）",
        )
        row_height = min(unit * 2.6, (height - top - unit) / len(rows))
        font = self._font(row_height * 0.5, bold=True)
        metrics = QFontMetricsF(font)
        name_width = max(metrics.horizontalAdvance(ranking.name(k)) for k, _ in rows) + unit
        figure_width = max(metrics.horizontalAdvance(decimal_text(s)) for _, s in rows) + unit
        left, right = unit + name_width, width - unit - figure_width
        best = max((s for _, s in rows), default=1) or 1
        painter.setFont(font)
        for number, (key, score) in enumerate(rows):
            y = top + number * row_height
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(unit, y, name_width - unit * 0.5, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                ranking.name(key),
            )
            colour = (
                TIE if key in shortlist.tied_at_cutoff else PASS if key in shortlist.chosen else BAR
            )
            bar = float((right - left) * score / best)
            painter.fillRect(QRectF(left, y + row_height * 0.15, bar, row_height * 0.7), colour)
            painter.drawText(
                QRectF(right + unit * 0.5, y, figure_width, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                decimal_text(score),
            )

    def _paint_evaluation(self, painter: QPainter, result: PositionEvaluation, unit: float) -> None:
        """Per person the share of 优 in each dimension; vetoed people in red with the reason."""
        width, height = self.width(), self.height()
        people = result.overall.candidates
        if not people:
            return
        top = unit * 3.5
        row_height = min(unit * 2.6, (height - top - unit) / len(people))
        font = self._font(row_height * 0.42, bold=True)
        painter.setFont(font)
        shortlist = result.overall.shortlist
        for number, candidate in enumerate(people):
            y = top + number * row_height
            shares = "　".join(f"{d.dimension} {percent(d.share, 0)}" for d in candidate.dimensions)
            state = (
                "否决：" + candidate.veto_reasons[0].split("，")[0]
                if candidate.vetoed
                else ("预备人选" if candidate.name in shortlist.chosen else "")
            )
            painter.setPen(THRESHOLD if candidate.vetoed else PASS if state else TEXT)
            painter.drawText(
                QRectF(unit, y, width - 2 * unit, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{result.name(candidate.name)}　{shares}　{state}",
            )

    def final_lines(self, result: RoundResult) -> list[tuple[str, bool]]:
        """The result as announced: every candidate in ballot (stroke) order with their
        votes, the elected marked; names written in; the papers; the round's 校验码."""
        if not result.round_valid:
            return [("收回选票多于发出选票，本轮选举无效，须重新投票", False)]
        lines: list[tuple[str, bool]] = []
        listed = {p.name: p for p in result.votes if p.listed}
        for name in result.spec.candidates:
            person = listed.get(name)
            if person is None:
                continue
            elected = name in result.elected
            lines.append(
                (
                    f"{name}　赞成 {person.approvals}　不赞成 {person.against}　"
                    f"弃权 {person.abstain}" + ("　当选" if elected else ""),
                    elected,
                )
            )
        others = [p for p in result.votes if not p.listed]
        if others:
            lines.append(
                (
                    "另选他人："
                    + "、".join(
                        f"{p.name} {p.approvals} 票"
                        + ("（当选）" if p.name in result.elected else "")
                        for p in others
                    ),
                    any(p.name in result.elected for p in others),
                )
            )
        if result.tied:
            lines.append((f"{'、'.join(result.tied)} 得票相等，重新投票", False))
        if result.unfilled_seats:
            lines.append((f"当选人数不足，尚差 {result.unfilled_seats} 名", False))
        lines.append(
            (
                f"有效票 {result.valid_papers} 张　无效票 {result.invalid_papers} 张"
                + (f"　校验码 {self.code}" if self.code else ""),
                False,
            )
        )
        return lines

    def _paint_final(self, painter: QPainter, result: RoundResult, top: float, unit: float) -> None:
        width, height = self.width(), self.height()
        lines = self.final_lines(result)
        row = min(unit * 2.4, (height - top - unit) / max(1, len(lines)))
        font = self._fitting_font(row * 0.6, [text for text, _ in lines], width - 2 * unit, True)
        painter.setFont(font)
        for number, (line, elected) in enumerate(lines):
            painter.setPen(PASS if elected else TEXT)
            painter.drawText(
                QRectF(unit, top + number * row, width - 2 * unit, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
