"""Tab 选举计票: pick a round, record papers issued and collected, key in papers, watch the count."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.ballots import BallotPaper
from gongtui_desktop.domain.contest import ContestProgress
from gongtui_desktop.domain.counting import RoundKind
from gongtui_desktop.domain.slate import check_slate
from gongtui_desktop.reports.forms import write_ballots
from gongtui_desktop.services.attendance import meeting_figures, open_next_round
from gongtui_desktop.services.keypad import Reply
from gongtui_desktop.services.scanning import ImportSummary, ScanCounting, scan_files
from gongtui_desktop.services.station import Change, ChangeKind, CountingStation
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import DoubleEntry, PaperRecord, RoundRecord, RoundStatus
from gongtui_desktop.ui.bridge import StationBridge
from gongtui_desktop.ui.models import PaperListModel, TallyModel
from gongtui_desktop.ui.paper_editor import PaperEditor
from gongtui_desktop.ui.questions import ask
from gongtui_desktop.ui.scan_review import ScanReviewDialog, import_scans
from gongtui_desktop.ui.text import paper_in_words, round_title

MODE_STYLE = "background: #e65100; color: white; font-size: 14pt; font-weight: bold; padding: 4px;"


class CountingTab(QWidget):
    """The counting station at the table."""

    export_requested = Signal()

    def __init__(self, station: CountingStation, bridge: StationBridge) -> None:
        super().__init__()
        self.station = station
        self.bridge = bridge
        self.read_only = False
        self.box_name = ""  # a box station says so above every paper it keys
        self.correcting: int | None = None
        self.settling: int | None = None
        self.progress: ContestProgress | None = None
        self.tally_model = TallyModel()
        self.paper_model = PaperListModel()

        self.contest_box = QComboBox()
        self.round_label = QLabel("")
        self.issued = QSpinBox()
        self.issued.setRange(0, 100_000)
        self.collected = QSpinBox()
        self.collected.setRange(0, 100_000)
        self.collected.setSpecialValueText("未登记")
        self.save_papers = QPushButton("登记选票数")
        self.double_entry_next = QCheckBox("下一轮双人录入")
        self.double_entry_next.setToolTip(
            "两位计票人分别把同一叠选票各录一遍，程序逐张比对 (双人录入核对)"
        )
        # 双人录入: each station says which pass it keys and who keys it before the first
        # paper; a file reopened never assumes a pass.
        self.entry_pass = QComboBox()
        self.entry_pass.addItem("请选择录入遍次", 0)
        self.entry_pass.addItem("第一遍录入", 1)
        self.entry_pass.addItem("第二遍录入", 2)
        self.entry_pass.currentIndexChanged.connect(self._pass_chosen)
        self.pass_round: int | None = None  # the round the chosen pass belongs to
        self.pass_label = QLabel("")
        self.pass_label.setObjectName("passLabel")
        self.pass_label.setStyleSheet("font-size: 15pt; font-weight: bold; color: #0b3d91;")
        self.mismatches = QListWidget()
        self.mismatches.setMaximumHeight(120)
        self.mismatches.itemActivated.connect(self._settle_chosen)
        self.mismatch_label = QLabel("")
        self.warning = QLabel("")
        self.warning.setObjectName("bigWarning")
        self.warning.setStyleSheet(
            "background: #b00020; color: white; font-size: 15pt; font-weight: bold; padding: 4px;"
        )
        self.warning.setVisible(False)
        # While a correction or a settling lasts, the next Enter replaces an entered
        # paper: that must be impossible to miss.
        self.mode_banner = QLabel("")
        self.mode_banner.setObjectName("modeBanner")
        self.mode_banner.setWordWrap(True)
        self.mode_banner.setStyleSheet(MODE_STYLE)
        self.mode_banner.setVisible(False)
        # Why a button is grey, said in words (a tooltip is not enough).
        self.status_line = QLabel("")
        self.status_line.setObjectName("statusLine")
        self.status_line.setWordWrap(True)
        self.status_line.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.summary = QLabel("")
        self.summary.setObjectName("summary")
        self.quorum_label = QLabel("")
        self.quorum_label.setObjectName("quorum")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("resultLabel")

        self.editor = PaperEditor()
        self.editor.reply.connect(self._on_reply)
        self.paper_view = QTableView()
        self.paper_view.setModel(self.paper_model)
        self.paper_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.paper_view.verticalHeader().setVisible(False)
        self.paper_view.setMinimumHeight(90)
        # Column widths are measured when a round is shown, not on every paper: measuring
        # thousands of rows on each Enter would slow entry down.
        self.paper_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.paper_view.horizontalHeader().setStretchLastSection(True)
        self.tally_view = QTableView()
        self.tally_view.setModel(self.tally_model)
        self.tally_view.verticalHeader().setVisible(False)
        self.tally_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tally_view.horizontalHeader().setStretchLastSection(True)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.tally_view.setFont(big)

        self.undo_button = QPushButton("撤销上一张（Ctrl+Z）")
        self.correct_button = QPushButton("更正选票…（Ctrl+E）")
        self.close_button = QPushButton("结束计票")
        self.confirm_button = QPushButton("确认结果…")
        self.reopen_button = QPushButton("重新打开本轮…")
        self.next_button = QPushButton("开始下一轮")
        self.reduce_button = QPushButton("减少名额…")
        self.candidates_button = QPushButton("确定候选人…")
        self.print_button = QPushButton("印制选票…")
        self.print_button.setToolTip("本项本轮（或下一轮）的机读选票，Word 文件，每份一页")
        self.scan_button = QPushButton("导入扫描选票…")
        self.scan_button.setToolTip("读入扫描仪扫出的选票图像（PNG/JPEG/TIFF/PDF），逐张识别计票")
        self.review_button = QPushButton("核定扫描选票")
        self.export_button = QPushButton("导出归档材料…")
        self.export_button.setToolTip("全部选举完毕：导出会议记录、报告、计票表等归档材料")
        self.scanning = ScanCounting(station)

        # Two short rows rather than one long one: the tab must fit a 1024-pixel screen.
        top = QHBoxLayout()
        top.addWidget(QLabel("选举项目："))
        top.addWidget(self.contest_box, 1)
        top.addWidget(self.round_label, 2)
        figures_row = QHBoxLayout()
        figures_row.addWidget(QLabel("发出选票："))
        figures_row.addWidget(self.issued)
        figures_row.addWidget(QLabel("收回选票："))
        figures_row.addWidget(self.collected)
        figures_row.addWidget(self.save_papers)
        figures_row.addStretch(1)
        figures_row.addWidget(self.entry_pass)
        figures_row.addWidget(self.double_entry_next)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.pass_label)
        left_layout.addWidget(self.editor, 1)
        # The list of entered papers sits under the tally: the editor keeps the left
        # column, and the tab still fits 768 pixels in height.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.tally_view, 3)
        right_layout.addWidget(QLabel("已录入的选票"))
        right_layout.addWidget(self.paper_view, 2)
        right_layout.addWidget(self.result_label)
        right_layout.addWidget(self.mismatch_label)
        right_layout.addWidget(self.mismatches)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        buttons = QVBoxLayout()
        for group in (
            (
                self.undo_button,
                self.correct_button,
                self.close_button,
                self.confirm_button,
                self.reopen_button,
                self.candidates_button,
                self.next_button,
                self.reduce_button,
            ),
            (self.print_button, self.scan_button, self.review_button, self.export_button),
        ):
            row = QHBoxLayout()
            for button in group:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                row.addWidget(button)
            row.addStretch(1)
            buttons.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(figures_row)
        layout.addWidget(self.quorum_label)
        layout.addWidget(self.warning)
        layout.addWidget(self.mode_banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_line)

        self.contest_box.currentIndexChanged.connect(self._contest_chosen)
        self.save_papers.clicked.connect(self._save_papers)
        self.undo_button.clicked.connect(self.undo_last)
        self.correct_button.clicked.connect(self.ask_correction)
        self.close_button.clicked.connect(self.close_round)
        self.confirm_button.clicked.connect(self.ask_confirmation)
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.next_button.clicked.connect(lambda: self.start_next_round())
        self.reduce_button.clicked.connect(self.ask_seat_reduction)
        self.candidates_button.clicked.connect(self.ask_candidates)
        self.print_button.clicked.connect(self.ask_print_ballots)
        self.scan_button.clicked.connect(self.ask_scan_folder)
        self.review_button.clicked.connect(self.review_scans)
        self.export_button.clicked.connect(self.export_requested)
        QShortcut(QKeySequence("Ctrl+Z"), self, self.undo_last)
        QShortcut(QKeySequence("Ctrl+E"), self, self.ask_correction)
        bridge.changed.connect(self._on_change)
        self.reload_contests()

    # ---- choosing what to count ----------------------------------------------

    def reload_contests(self, keep: int | None = None) -> None:
        self.contest_box.blockSignals(True)
        self.contest_box.clear()
        for record in self.station.election.contests():
            self.contest_box.addItem(record.contest.display_title, record.id)
        self.contest_box.blockSignals(False)
        index = (
            max(0, self.contest_box.findData(keep))
            if keep is not None
            else self._first_open_contest()
        )
        self.contest_box.setCurrentIndex(index)
        self._contest_chosen()

    def _first_open_contest(self) -> int:
        for index in range(self.contest_box.count()):
            if not self.station.election.contest_progress(self.contest_box.itemData(index)).done:
                return index
        return 0

    def contest_id(self) -> int | None:
        data = self.contest_box.currentData()
        return None if data is None else int(data)

    def _contest_chosen(self) -> None:
        contest_id = self.contest_id()
        if contest_id is None:
            self.station.select_round(None)
            return
        rounds = self.station.election.rounds(contest_id)
        self.station.select_round(rounds[-1].id if rounds else None)
        if not rounds:
            self._show_round()

    # ---- reacting to changes -------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind is ChangeKind.PAPER_ENTERED:
            assert change.paper is not None
            self.paper_model.append(change.paper)
            self.paper_view.scrollToBottom()
        elif change.kind is ChangeKind.PAPER_UNDONE:
            self.paper_model.remove_last()
        elif change.kind is ChangeKind.PAPER_CORRECTED:
            assert change.paper is not None
            self.paper_model.replace(change.paper.entry_no, change.paper)
        elif change.kind is ChangeKind.PAPERS_RECOUNTED and self.station.round is not None:
            # Only the list of this pass's papers changed: the editor and the column widths
            # of the round stay as they are (re-measuring them cost ~60 ms per Enter).
            record = self.station.round
            counted, shown = self._listed_papers(), self.paper_model.papers
            same = len(counted) >= len(shown) and all(
                a.id == b.id for a, b in zip(shown, counted, strict=False)
            )
            if same and len(counted) == len(shown) + 1:
                self.paper_model.append(counted[-1])  # keying in order: one more agreed
            elif not (same and len(counted) == len(shown)):
                options = self.station.election.plan().counting
                self.paper_model.reset(list(counted), record.spec, options)
            self.paper_view.scrollToBottom()
        else:
            self._show_round()
            return
        self._show_figures()

    def _show_round(self) -> None:
        record = self.station.round
        election = self.station.election
        options = election.plan().counting
        roster = {p.person.name: p.id for p in election.people()}
        self._leave_mode()
        box = election.box_identity()
        self.box_name = "" if box is None else f"{box.name}（分箱计票）　"
        self.progress = self._progress()
        double = record is not None and record.double_entry
        self.entry_pass.setVisible(double)
        self.mismatches.setVisible(double)
        self.mismatch_label.setVisible(double)
        if record is None or record.id != self.pass_round:
            self._choose_pass_item(0)  # a new round: the pass is chosen again
            self.pass_round = None
        self.show_quorum()
        if record is None:
            self.round_label.setText("尚未开始投票")
            self.editor.set_round(None, options, roster, "本项尚未开始投票：点“开始投票”。")
            self.paper_model.reset([], None, options)
        else:
            self.round_label.setText(round_title(record) + "　" + record.status.label)
            self.issued.setValue(record.spec.papers_issued)
            self.collected.setValue(record.papers_collected or 0)
            spec = record.spec if record.status is RoundStatus.OPEN else None
            closed = f"本轮{record.status.label}：不能再录入选票。需要更正时，请先“重新打开本轮”。"
            if spec is not None and self.read_only:
                spec = None
                closed = "只读：这个文件正在别处编辑，这里只能查看计票，不能录入。"
            if spec is not None and double and self.pass_round != record.id:
                spec = None
                closed = "双人录入：请先在上方选择“第一遍录入”或“第二遍录入”，并填写录入人。"
            self.editor.set_round(spec, options, roster, closed)
            self.paper_model.reset(self._listed_papers(), record.spec, options)
        self._show_figures()
        self._fit_columns()
        self.editor.setFocus()

    def set_read_only(self) -> None:
        """A file opened read-only: the count can be watched, nothing keyed or pressed."""
        self.read_only = True
        self._show_round()

    def show_quorum(self) -> None:
        """The election meeting's attendance, always in view while counting (R3)."""
        figures = meeting_figures(self.station.election, "election")
        self.quorum_label.setText("选举大会：" + figures.summary())
        colour = "#0a7a2f" if figures.quorum.met else "#b00020"
        self.quorum_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _fit_columns(self) -> None:
        """Size columns to their contents once per round (headers and the widest entries)."""
        self.tally_view.resizeColumnsToContents()
        header = self.paper_view.horizontalHeader()
        header.setResizeContentsPrecision(200)
        self.paper_view.resizeColumnsToContents()
        # Room for a long reason such as 所选人数多于应选人数.
        reason = self.fontMetrics().horizontalAdvance("所选人数多于应选人数：赞成 99 人")
        header.resizeSection(3, max(header.sectionSize(3), reason))

    def _show_figures(self) -> None:
        record = self.station.round
        result = self.station.result()
        self.tally_model.set_result(
            result, final=record is not None and record.status is not RoundStatus.OPEN
        )
        open_round = record is not None and record.status is RoundStatus.OPEN
        entered = len(self.station.counted)
        collected = None if record is None else record.papers_collected
        warnings = self._warnings(record, collected)
        self.warning.setVisible(bool(warnings))
        self.warning.setText("\n".join(warnings))
        if result is None or record is None:
            self.summary.setText("")
        else:
            collected_text = "未登记" if collected is None else f"{collected} 张"
            rule = (
                f"当选须 ≥ {result.threshold} 票（超过实到会有选举权人数 {record.spec.present_voters} 人的半数）"
                if result.threshold_applied
                else "重新投票：得票多者当选"
            )
            self.summary.setText(
                f"发出 {record.spec.papers_issued} 张　收回 {collected_text}　已录入 {entered} 张　"
                f"有效 {result.valid_papers}　无效 {result.invalid_papers}\n{rule}"
            )
        check = self.station.double_entry() if record is not None else None
        if check is not None and record is not None:
            self._show_mismatches(record, check)
        self.pass_label.setText(self._pass_text(record))
        pending = 0 if record is None else self.station.election.pending_scans(record.id)
        scannable = (
            open_round
            and record is not None
            and not record.double_entry
            and self.scanning.machine_readable(record)
        )
        self.scan_button.setEnabled(scannable)
        self.review_button.setEnabled(scannable and pending > 0)
        self.review_button.setText(f"核定扫描选票（{pending} 张）" if pending else "核定扫描选票")
        if pending and result is not None:
            self.summary.setText(
                self.summary.text() + f"\n扫描选票待核定 {pending} 张：核定后才计入"
            )
        keyed = self._keyed_in_my_pass(record)
        # A scanned paper is changed by 更正 (its image stays the evidence), never by 撤销.
        undoable = keyed > 0 and (
            (record is not None and record.double_entry)
            or any(not p.scanned for p in reversed(self.station.keyed_here))
        )
        self.undo_button.setEnabled(open_round and undoable)
        # Double entry is corrected by undoing one's own pass or by settling, never in place.
        self.correct_button.setEnabled(
            open_round and keyed > 0 and record is not None and not record.double_entry
        )
        self.close_button.setEnabled(
            open_round and collected is not None and entered == collected and not pending
        )
        self.confirm_button.setEnabled(record is not None and record.status is RoundStatus.CLOSED)
        self.reopen_button.setEnabled(record is not None and record.status is not RoundStatus.OPEN)
        self.issued.setEnabled(open_round)
        self.collected.setEnabled(open_round)
        self.save_papers.setEnabled(open_round)
        progress = self.progress
        waiting = progress is not None and (
            record is None or record.status is RoundStatus.CONFIRMED
        )
        needs_candidates = (
            progress is not None
            and record is None
            and not progress.contest.candidates
            and progress.contest.restricted_to is not None
        )
        self.candidates_button.setVisible(needs_candidates)
        self.next_button.setEnabled(
            waiting and progress is not None and not progress.done and not needs_candidates
        )
        self.next_button.setText("开始投票" if record is None else "开始下一轮")
        self.reduce_button.setEnabled(
            waiting
            and progress is not None
            and progress.next_round is not None
            and progress.next_round.kind is RoundKind.BY_ELECTION
        )
        self.result_label.setText(self._result_text(progress))
        if self.read_only:
            for button in self.findChildren(QPushButton):
                button.setEnabled(button is self.export_button)  # looking is allowed
            for box in (self.issued, self.collected, self.entry_pass, self.double_entry_next):
                box.setEnabled(False)
        finished = self._election_finished(record)
        self.export_button.setVisible(finished)
        self.status_line.setText(self._blocked_reasons(record, collected, entered, pending))

    def _warnings(self, record: RoundRecord | None, collected: int | None) -> list[str]:
        """What is wrong with the papers right now, in large red letters (R4)."""
        if record is None or collected is None:
            return []
        warnings = []
        if collected > record.spec.papers_issued:
            warnings.append(
                f"收回选票 {collected} 张多于发出选票 {record.spec.papers_issued} 张："
                "本轮选举无效，须重新投票"
            )
        keyed = self._entered_for_collected(record)
        if record.status is RoundStatus.OPEN and keyed > collected:
            which = f"第{'一二'[self.station.entry_pass - 1]}遍" if record.double_entry else ""
            warnings.append(
                f"{which}已录入 {keyed} 张，多于收回的 {collected} 张：请清点选票，"
                "撤销多录的选票，或更正收回选票数"
            )
        return warnings

    def _entered_for_collected(self, record: RoundRecord) -> int:
        """Papers to compare with those collected: this pass's own in double entry."""
        if record.double_entry:
            return self.station.election.live_entries(record.id, self.station.entry_pass)
        return len(self.station.counted)

    def _blocked_reasons(
        self, record: RoundRecord | None, collected: int | None, entered: int, pending: int
    ) -> str:
        """Why 结束计票 or 确认结果 cannot be pressed yet, in words."""
        if self.correcting is not None or self.settling is not None:
            return ""
        if record is None:
            if self.progress is not None and self.progress.done:
                return ""
            return "本项尚未开始投票：点“开始投票”，登记发出的选票后开始录入。"
        if record.status is RoundStatus.CLOSED:
            return "计票已结束：监票人核对后点“确认结果…”。"
        if record.status is not RoundStatus.OPEN:
            return ""
        reasons = []
        if collected is None:
            reasons.append("先登记收回选票数")
        elif entered != collected:
            reasons.append(f"已录入 {entered} 张，收回 {collected} 张，两者相等才能结束")
        if pending:
            reasons.append(f"还有 {pending} 张扫描选票待核定")
        check = self.station.double_entry() if record.double_entry else None
        if check is not None and (check.mismatches or check.pending):
            reasons.append(
                f"双人录入还有 {len(check.mismatches)} 张不一致、{len(check.pending)} 张只录了一遍"
            )
        return ("还不能结束计票：" + "；".join(reasons) + "。") if reasons else ""

    def _election_finished(self, record: RoundRecord | None) -> bool:
        """Every contest decided: the archive can be exported."""
        if record is not None and record.status is not RoundStatus.CONFIRMED:
            return False
        election = self.station.election
        contests = election.contests()
        return bool(contests) and all(election.contest_progress(c.id).done for c in contests)

    def _progress(self) -> ContestProgress | None:
        contest_id = self.contest_id()
        return None if contest_id is None else self.station.election.contest_progress(contest_id)

    def _result_text(self, progress: ContestProgress | None) -> str:
        record = self.station.round
        if progress is None:
            return ""
        if record is not None and record.status is RoundStatus.CLOSED:
            return "计票已结束，请监票人核对后确认结果。"
        lines = []
        if progress.elected:
            lines.append("已当选：" + "、".join(progress.elected))
        if progress.done:
            lines.append(f"{progress.contest.display_title}选举完毕。")
        elif progress.next_round is not None and (
            record is None or record.status is RoundStatus.CONFIRMED
        ):
            following = progress.next_round
            if record is not None:
                lines.append(following.reason)
            names = "、".join(following.candidates) or "（待确定）"
            lines.append(
                f"下一轮：{following.kind.label}，应选 {following.seats} 名，候选人 {names}"
            )
        return "\n".join(lines)

    # ---- keying papers -------------------------------------------------------

    def _on_reply(self, reply: Reply) -> None:
        self.editor.follow(reply, self._commit, cleared=self._esc)

    def _esc(self) -> None:
        """Esc clears the paper; in a correction or a settling it also leaves that mode,
        so the next paper keyed is a new paper and replaces nothing."""
        what = self._mode_text()
        self._leave_mode()
        self.editor.refresh(f"已放弃{what}，选票没有改动。" if what else "")
        self._show_figures()

    def _mode_text(self) -> str:
        if self.settling is not None:
            return f"核定第 {self.settling} 张选票"
        if self.correcting is not None:
            return f"更正第 {self.correcting} 张选票"
        return ""

    def _leave_mode(self) -> None:
        self.correcting = None
        self.settling = None
        self.mode_banner.setVisible(False)

    def _enter_mode(self, old: BallotPaper, write_in_people: tuple[int | None, ...]) -> None:
        """Show the mode and the paper as it stands, then let the operator change it."""
        record = self.station.round
        assert record is not None
        before = paper_in_words(old, record.spec.candidates)
        self.mode_banner.setText(
            f"正在{self._mode_text()}　原来：{before}　"
            "改好后按 Enter（再确认一次），Esc 放弃，Delete 清除重录"
        )
        self.mode_banner.setVisible(True)
        self.editor.load(old, write_in_people)
        self.editor.refresh(f"正在{self._mode_text()}：改好后按 Enter，按 Esc 放弃")
        self.status_line.setText("")
        self.editor.setFocus()

    def _confirm_replacement(self, new: BallotPaper) -> bool:
        """A correction replaces an entered paper: old and new side by side, Enter confirms."""
        record = self.station.round
        assert record is not None
        if self.settling is not None:
            readings = self.station.readings(self.settling)
            before = "\n".join(
                f"{label}：{paper_in_words(readings[key].paper, record.spec.candidates)}"
                for key, label in ((1, "第一遍"), (2, "第二遍"), (0, "原核定"))
                if key in readings
            )
        else:
            assert self.correcting is not None
            old = self.station.find(self.correcting).paper
            before = f"原来：{paper_in_words(old, record.spec.candidates)}"
        answer = ask(
            self,
            self._mode_text(),
            f"{before}\n改为：{paper_in_words(new, record.spec.candidates)}\n\n"
            "按 Enter 确认，按 Esc 回去修改。",
            "确认",
            "回去修改",
            enter_means_yes=True,
        )
        self.refocus()
        return answer

    def _confirm_over_collected(self) -> bool:
        """A paper beyond those collected is asked about when it is keyed, not later."""
        record = self.station.round
        if record is None or record.papers_collected is None:
            return True
        keyed = self._entered_for_collected(record)
        if keyed < record.papers_collected:
            return True
        answer = ask(
            self,
            "多于收回的选票",
            f"收回选票登记为 {record.papers_collected} 张，已经录入 {keyed} 张。\n"
            f"这是第 {keyed + 1} 张：多于收回的选票。\n\n"
            "请先清点选票：是否有一张录了两次，或收回选票数登记错了？\n"
            "仍然录入这一张吗？",
            "仍然录入",
            "不录入",
            enter_means_yes=False,
            icon=QMessageBox.Icon.Warning,
        )
        self.refocus()
        return answer

    def _ask_deciding_scrutineer(self) -> str:
        """The 监票人 whose reading of the paper this is: their name goes on record."""
        election = self.station.election
        names = {p.id: p.person.name for p in election.people()}
        supervisors = [names[pid] for pid, role in election.scrutineers() if role.supervises]
        name, ok = QInputDialog.getItem(
            self, "核定选票", "对照原票核定的监票人：", supervisors or [""], 0, True
        )
        self.refocus()
        return name.strip() if ok else ""

    def _commit(self, reply: Reply) -> None:
        assert reply.paper is not None
        replacing = self.correcting is not None or self.settling is not None
        if replacing and not self._confirm_replacement(reply.paper):
            self.editor.load(reply.paper, reply.write_in_people)
            self.editor.refresh(f"仍在{self._mode_text()}：改好后按 Enter，按 Esc 放弃")
            return
        if not replacing and not self._confirm_over_collected():
            self.editor.load(reply.paper, reply.write_in_people)
            self.editor.refresh("这张选票没有录入：请清点选票或更正收回选票数", warning=True)
            return
        decided_by = ""
        if self.settling is not None:
            decided_by = self._ask_deciding_scrutineer()
            if not decided_by:
                self.editor.load(reply.paper, reply.write_in_people)
                self.editor.refresh(f"仍在{self._mode_text()}：请填写核定的监票人", warning=True)
                return
        done = self._mode_text()
        try:
            if self.settling is not None:
                self.station.settle(
                    self.settling, reply.paper, reply.write_in_people, decided_by=decided_by
                )
            elif self.correcting is not None:
                self.station.correct(self.correcting, reply.paper, reply.write_in_people)
            else:
                self.station.enter(reply.paper, reply.write_in_people)
        except ElectionFileError as error:
            if replacing:
                self.editor.load(reply.paper, reply.write_in_people)
            self.editor.refresh(str(error), warning=True)
            return
        if replacing:
            self._leave_mode()
            self._show_figures()  # the reasons line was hidden during the mode
        self.editor.refresh(
            f"已{done.replace('选票', '')}：{reply.message}" if done else f"已录入：{reply.message}"
        )

    def _listed_papers(self) -> list[PaperRecord]:
        """The paper list: in double entry this pass's own papers (numbered as keyed), else
        the papers that count."""
        record = self.station.round
        if record is not None and record.double_entry:
            return self.station.own_pass() if self.pass_round == record.id else []
        return list(self.station.counted)

    def _pass_text(self, record: RoundRecord | None) -> str:
        """Which pass, who keys it and the number of the paper being keyed, in large type."""
        if record is None or record.status is not RoundStatus.OPEN:
            return ""
        if record.double_entry:
            if self.pass_round != record.id:
                return "双人录入：请先选择录入遍次"
            number = self.station.election.live_entries(record.id, self.station.entry_pass) + 1
            which = "第一遍" if self.station.entry_pass == 1 else "第二遍"
            return (
                f"{self.box_name}{which}录入　录入人：{self.station.operator}　"
                f"正在录入第 {number} 张"
            )
        return f"{self.box_name}正在录入第 {len(self.station.keyed_here) + 1} 张"

    def _show_mismatches(self, record: RoundRecord, check: DoubleEntry) -> None:
        """Each disagreement in words against the candidates, a shift named, settled papers
        listed so a decision can be taken again."""
        candidates = record.spec.candidates
        hint = self.station.shift_hint()
        self.mismatch_label.setText(
            f"双人录入：一致或已核定 {len(check.counted)} 张，不一致 {len(check.mismatches)} 张，"
            f"只录了一遍 {len(check.pending)} 张（双击一张，对照原票核定）"
            + (f"\n{hint}" if hint else "")
        )
        self.mismatches.clear()
        for entry_no, first, second in check.mismatches:
            item = QListWidgetItem(
                f"第 {entry_no} 张不一致：第一遍 {paper_in_words(first.paper, candidates)}"
                f"｜第二遍 {paper_in_words(second.paper, candidates)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry_no)
            self.mismatches.addItem(item)
        for settled in self.station.settled():
            item = QListWidgetItem(
                f"第 {settled.entry_no} 张已由{settled.operator}核定为："
                f"{paper_in_words(settled.paper, candidates)}（双击可重新核定）"
            )
            item.setData(Qt.ItemDataRole.UserRole, settled.entry_no)
            self.mismatches.addItem(item)

    def _choose_pass_item(self, entry_pass: int) -> None:
        self.entry_pass.blockSignals(True)
        self.entry_pass.setCurrentIndex(self.entry_pass.findData(entry_pass))
        self.entry_pass.blockSignals(False)

    def _pass_chosen(self) -> None:
        """A pass is chosen with the name of who keys it; a half-keyed paper never moves to
        the other pass."""
        record = self.station.round
        chosen = int(self.entry_pass.currentData())
        previous = self.station.entry_pass if self.pass_round is not None else 0
        keypad = self.editor.keypad
        if keypad is not None and not keypad.draft.empty:
            self._choose_pass_item(previous)
            self.editor.refresh(
                "这张选票还没有录完：请先按 Enter 录入或按 Esc 清除，再换录入遍次", warning=True
            )
            self.editor.setFocus()
            return
        if record is None or chosen == 0:
            self._choose_pass_item(previous)
            return
        which = "第一遍" if chosen == 1 else "第二遍"
        name, ok = QInputDialog.getText(
            self, "录入人", f"{which}由谁录入？（记入每一张选票的记录）", text=self.station.operator
        )
        if not ok or not name.strip():
            self._choose_pass_item(previous)
            self.refocus()
            return
        self.station.entry_pass = chosen
        self.station.operator = name.strip()
        self.pass_round = record.id
        self._show_round()  # the editor opens for this pass, the list shows its papers

    def _settle_chosen(self, item: QListWidgetItem) -> None:
        self.start_settling(int(item.data(Qt.ItemDataRole.UserRole)))

    def start_settling(self, entry_no: int) -> None:
        """Key the paper as the scrutineers read it from the stack; that reading counts.
        A paper settled before starts from the earlier decision."""
        readings = self.station.readings(entry_no)
        if 1 not in readings or 2 not in readings:
            return
        if self.station.round is not None and self.pass_round != self.station.round.id:
            self.pass_round = self.station.round.id  # settling needs the editor open
            self.station.entry_pass = self.station.entry_pass or 1
            self._show_round()
        start = readings.get(0) or readings[1]
        self._leave_mode()
        self.settling = entry_no
        self._enter_mode(start.paper, start.write_in_people)

    # ---- scanned papers (issue #11) --------------------------------------------

    def ask_print_ballots(self) -> None:
        contest_id = self.contest_id()
        if contest_id is None:
            return
        record = self.station.round
        open_round = record is not None and record.status is not RoundStatus.CONFIRMED
        default = (
            record.spec.papers_issued
            if record is not None and open_round
            else meeting_figures(self.station.election, "election").present
        )
        copies, ok = QInputDialog.getInt(
            self, "印制选票", "份数（每份一页）：", max(1, default), 1, 10_000
        )
        if not ok:
            self.refocus()
            return
        title = self.contest_box.currentText()
        suggested = self.station.election.path.parent / f"选票-{title}.docx"
        target, _ = QFileDialog.getSaveFileName(
            self, "保存选票", str(suggested), "Word 文档 (*.docx)"
        )
        if target:
            self.print_ballots(Path(target), copies)
        self.refocus()

    def print_ballots(self, path: Path, copies: int) -> Path | None:
        """The chosen contest's ballots: the round being held, else the one due next."""
        contest_id = self.contest_id()
        if contest_id is None:
            return None
        record = self.station.round
        round_id = (
            record.id if record is not None and record.status is not RoundStatus.CONFIRMED else None
        )
        try:
            written = write_ballots(self.station.election, contest_id, round_id, copies, path)
        except (ValueError, OSError) as error:
            QMessageBox.warning(self, "印制选票", f"选票没有生成：{error}")
            return None
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"已生成选票 {copies} 份：{written}")
        return written

    def ask_scan_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择扫描选票所在的文件夹")
        if folder:
            self.import_scan_folder(Path(folder))
        self.refocus()

    def import_scan_folder(self, folder: Path) -> ImportSummary | None:
        """Every image and PDF of ``folder``, read and counted or queued; the summary shown."""
        try:
            files = scan_files(folder)
        except ElectionFileError as error:
            QMessageBox.warning(self, "导入扫描选票", str(error))
            return None
        if not files:
            QMessageBox.information(
                self, "导入扫描选票", f"{folder} 中没有图像或 PDF 文件（PNG、JPEG、TIFF、PDF）"
            )
            return None
        outcome = import_scans(self, self.scanning, files)
        if isinstance(outcome, str):
            QMessageBox.warning(self, "导入扫描选票", outcome)
            return None
        text = "\n".join(outcome.lines())
        if outcome.pending:
            text += "\n\n待核定的选票请点“核定扫描选票”，对照图像逐张核定。"
        QMessageBox.information(self, "导入扫描选票", text)
        return outcome

    def review_scans(self) -> None:
        dialog = ScanReviewDialog(self.scanning, self)
        dialog.exec()
        self._show_figures()
        self.refocus()

    def refocus(self) -> None:
        """After a dialog, typing goes on in the paper editor."""
        self.window().activateWindow()
        self.editor.setFocus()

    def undo_last(self) -> None:
        try:
            change = self.station.undo_last()
        except ElectionFileError as error:
            self.editor.refresh(str(error), warning=True)
            return
        assert change.paper is not None
        self.editor.refresh(f"已撤销第 {change.paper.entry_no} 张选票（记录保留在审计日志中）")

    def _keyed_in_my_pass(self, record: RoundRecord | None) -> int:
        """Papers this station's operator could undo: their own pass, not imported boxes."""
        if record is None:
            return 0
        if not record.double_entry:
            return len(self.station.keyed_here)
        return self.station.election.live_entries(record.id, self.station.entry_pass)

    def ask_correction(self) -> None:
        if not self.station.keyed_here:
            return
        last = self.station.keyed_here[-1].entry_no
        number, ok = QInputDialog.getInt(self, "更正选票", "更正第几张选票：", last, 1, last)
        if ok:
            self.start_correction(number)

    def start_correction(self, entry_no: int) -> None:
        try:
            paper = self.station.find(entry_no)
        except ElectionFileError as error:
            self.editor.refresh(str(error), warning=True)
            return
        self._leave_mode()
        self.correcting = entry_no
        self._enter_mode(paper.paper, paper.write_in_people)

    # ---- the round's life ----------------------------------------------------

    def _save_papers(self) -> None:
        try:
            self.station.set_papers(self.issued.value(), self.collected.value() or None)
        except ElectionFileError as error:
            QMessageBox.warning(self, "登记选票数", str(error))

    def close_round(self) -> None:
        try:
            self.station.close()
        except ElectionFileError as error:
            QMessageBox.warning(self, "结束计票", str(error))

    def ask_confirmation(self) -> None:
        election = self.station.election
        names = {p.id: p.person.name for p in election.people()}
        supervisors = [names[pid] for pid, role in election.scrutineers() if role.supervises]
        text, ok = QInputDialog.getText(
            self,
            "确认结果",
            "核对无误的监票人（姓名）：",
            QLineEdit.EchoMode.Normal,
            "、".join(supervisors),
        )
        if ok:
            self.confirm(text)

    def confirm(self, confirmed_by: str) -> None:
        try:
            self.station.confirm(confirmed_by)
        except ElectionFileError as error:
            QMessageBox.warning(self, "确认结果", str(error))
            return
        if self._election_finished(self.station.round):
            answer = QMessageBox.question(
                self,
                "选举完毕",
                "全部选举已经完毕。现在导出归档材料（会议记录、报告、计票表）吗？\n"
                "以后也可以从“文件 → 导出归档材料…”导出。",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.export_requested.emit()

    def ask_reopen(self) -> None:
        reason, ok = QInputDialog.getText(self, "重新打开本轮", "理由（记入审计日志）：")
        if ok:
            try:
                self.station.reopen(reason)
            except ElectionFileError as error:
                QMessageBox.warning(self, "重新打开本轮", str(error))

    def start_next_round(self, papers_issued: int | None = None) -> None:
        """Open the round the contest needs next, once the quorum is met (R3); papers
        issued default to voters present (R4)."""
        contest_id = self.contest_id()
        if contest_id is None:
            return
        figures = meeting_figures(self.station.election, "election")
        if not figures.quorum.met:
            QMessageBox.warning(self, "不能开始投票", figures.announcement())
            return
        if papers_issued is None:
            value, ok = QInputDialog.getInt(
                self,
                "开始投票",
                f"{figures.summary()}\n\n发出选票数：",
                figures.present,
                0,
                100_000,
            )
            if not ok:
                return
            papers_issued = value
        try:
            round_id = open_next_round(
                self.station.election,
                self.station.operator,
                contest_id,
                papers_issued,
                self.double_entry_next.isChecked(),
            )
        except ElectionFileError as error:
            QMessageBox.warning(self, "开始下一轮", str(error))
            return
        self.station.select_round(round_id)

    def ask_seat_reduction(self) -> None:
        decision, ok = QInputDialog.getText(
            self, "减少名额", "大会的决定（例如：经大会表决，委员名额减为 2 名）："
        )
        if ok:
            progress = self.progress
            assert progress is not None and progress.next_round is not None
            self.reduce_seats(progress.next_round.seats, decision)

    def reduce_seats(self, seats: int, decision: str) -> None:
        contest_id = self.contest_id()
        assert contest_id is not None
        try:
            self.station.election.reduce_seats(self.station.operator, contest_id, seats, decision)
        except (ElectionFileError, ValueError) as error:
            QMessageBox.warning(self, "减少名额", str(error))
            return
        self._show_round()

    def ask_candidates(self) -> None:
        contest_id = self.contest_id()
        assert contest_id is not None
        record = self.station.election.contest(contest_id)
        earlier = self.station.election.contest_progress(int(record.contest.restricted_to or 0))
        dialog = CandidateDialog(record.contest.display_title, earlier.elected, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_candidates(dialog.chosen())

    def set_candidates(self, names: list[str]) -> None:
        contest_id = self.contest_id()
        assert contest_id is not None
        election = self.station.election
        ids = {p.person.name: p.id for p in election.people()}
        record = election.contest(contest_id)
        slate = check_slate(
            record.contest.seats, len(names), record.contest.position, record.contest.equal_approved
        )
        if not slate.ok:
            QMessageBox.warning(self, "确定候选人", slate.explanation())
            return
        try:
            election.set_contest_candidates(
                self.station.operator, contest_id, [(ids.get(n), n) for n in names]
            )
        except ElectionFileError as error:
            QMessageBox.warning(self, "确定候选人", str(error))
            return
        self._show_round()


class CandidateDialog(QDialog):
    """R15: choose the candidates of a restricted contest among those just elected, in order."""

    def __init__(self, title: str, elected: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"确定{title}候选人")
        self.list = QListWidget()
        for name in elected:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(QLabel("勾选上级党组织批准的人选，拖动调整批准的顺序："))
        layout.addRow(self.list)
        layout.addRow(buttons)

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
