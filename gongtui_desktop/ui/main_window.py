"""The main window: the start page, or the open election's tabs, and the projector."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QScreen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.services.batches import write_batch
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.station import CountingStation
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError, FileLockedError
from gongtui_desktop.ui.boxes_dialog import BoxesDialog, import_with_confirmation
from gongtui_desktop.ui.bridge import StationBridge
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.evaluation_tab import EvaluationTab
from gongtui_desktop.ui.export_dialog import ExportRunner, confirm_missing
from gongtui_desktop.ui.meeting_tab import MeetingTab
from gongtui_desktop.ui.platform_fit import full_screen_on
from gongtui_desktop.ui.projector import ProjectorMode, ProjectorWindow
from gongtui_desktop.ui.questions import ask
from gongtui_desktop.ui.recommendation_tab import RecommendationTab
from gongtui_desktop.ui.roster_tab import RosterTab
from gongtui_desktop.ui.stages import show_next_stage
from gongtui_desktop.ui.start_page import StartPage
from gongtui_desktop.ui.storage_place import confirm_storage_place, default_folder
from gongtui_desktop.ui.wizard import NewElectionWizard

RECENT_KEY = "recent_files"
RECENT_LIMIT = 10
PROJECTOR_SCREEN_KEY = "projector/screen"


def data_folder() -> Path:
    """Where demo elections and new files go by default: Documents\\公推直选 on the local
    disk (not the hidden, roaming application data folder)."""
    return default_folder()


class ElectionTabs(QTabWidget):
    """The election's tabs, in scroll areas: a tab wider than a 1024-pixel screen scrolls
    instead of widening the window past the screen's edge."""

    def add_page(self, page: QWidget, title: str, scroll: bool = True) -> None:
        if not scroll:
            # A scroll area sizes a page with wrapped labels by its preferred height and
            # would push the counting buttons below a 768-pixel screen; that tab fits as is.
            self.addTab(page, title)
            return
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(page)
        self.addTab(scroller, title)

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            holder = self.widget(index)
            if holder is page or (isinstance(holder, QScrollArea) and holder.widget() is page):
                return index
        return -1

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


class MainWindow(QMainWindow):
    """One election at a time; tabs appear only for what is built."""

    def __init__(self, operator: str = "", settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.operator = operator
        self.election: ElectionFile | None = None
        self.station: CountingStation | None = None
        self.bridge: StationBridge | None = None
        self.counting: CountingTab | None = None
        self.meeting: MeetingTab | None = None
        self.roster: RosterTab | None = None
        self.recommendation: RecommendationTab | None = None
        self.evaluation: EvaluationTab | None = None
        self.projector: ProjectorWindow | None = None
        self.setWindowTitle("公推直选计票")
        self.start = StartPage()
        self.tabs = ElectionTabs()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)
        self.read_only_banner = QLabel("")
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "background: #6a1b9a; color: white; font-size: 14pt; font-weight: bold; padding: 4px;"
        )
        self.read_only_banner.setVisible(False)
        self._read_only_reason = ""
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.read_only_banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.file_state = QLabel("")
        self.statusBar().addPermanentWidget(self.file_state)
        self._seen_length = 0
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(2000)
        self.idle_timer.timeout.connect(self._idle_tick)
        self.idle_timer.start()
        self.start.new_requested.connect(self.new_election)
        self.start.open_requested.connect(self.choose_file)
        self.start.demo_requested.connect(self.open_demo)
        self.start.recent_chosen.connect(lambda path: self.open_file(Path(path)))
        self._build_menus()
        self.start.set_recent(self.recent_files())
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.statusBar()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件")
        self._action(file_menu, "新建选举…", self.new_election, QKeySequence.StandardKey.New)
        self._action(file_menu, "打开选举文件…", self.choose_file, QKeySequence.StandardKey.Open)
        self._action(file_menu, "演示选举", self.open_demo)
        self.close_action = self._action(
            file_menu, "关闭选举", self.ask_close_election, QKeySequence("Ctrl+W")
        )
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "导出归档材料…", self.ask_export)
        self.export_action.setEnabled(False)
        self.copy_action = self._action(file_menu, "复制选举文件到（U 盘）…", self.ask_copy)
        self.copy_action.setEnabled(False)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, QKeySequence.StandardKey.Quit)
        boxes = self.menuBar().addMenu("分箱计票")
        self._action(boxes, "为一个票箱复制选举文件…", self.ask_box_copy)
        self._action(boxes, "导出本机票箱的计票结果…", self.ask_batch_export)
        self._action(boxes, "导入票箱的计票结果…", self.ask_batch_import)
        self._action(boxes, "票箱一览…", self.ask_boxes)
        view = self.menuBar().addMenu("投影")
        self.projector_action = self._action(
            view, "打开投影窗口", self.show_projector, QKeySequence("F5")
        )
        self._action(view, "选择投影屏幕…", self.choose_projector_screen)
        for mode in ProjectorMode:
            self._action(
                view,
                f"投影显示：{mode.label}",
                lambda checked=False, m=mode: self.set_projector_mode(m),
            )

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ---- recent files --------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [p for p in paths if Path(p).exists()]

    def _remember(self, path: Path) -> None:
        paths = [str(path.resolve())] + [p for p in self.recent_files() if p != str(path.resolve())]
        self.settings.setValue(RECENT_KEY, paths[:RECENT_LIMIT])
        self.start.set_recent(self.recent_files())

    # ---- opening ---------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开选举文件", str(data_folder()), "选举文件 (*.gongtui)"
        )
        if path:
            self.open_file(Path(path))

    def new_election(self) -> None:
        wizard = NewElectionWizard(data_folder(), self)
        if wizard.exec() and wizard.created is not None:
            if not self.operator:
                self.operator = wizard.options.operator.text().strip()
            self.open_file(wizard.created)

    def open_demo(self) -> Path | None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = data_folder() / f"演示选举-{stamp}.gongtui"
        try:
            write_demo(path)
        except ElectionFileError as error:
            QMessageBox.critical(self, "演示选举", str(error))
            return None
        self.open_file(path)
        return path

    def ask_close_election(self) -> None:
        if self.may_close():
            self.close_election()

    def open_file(self, path: Path, read_only: bool = False) -> bool:
        if not self.may_close():
            return False
        if not read_only:
            # A network drive or a sync folder: offer a copy on the local disk first.
            chosen = confirm_storage_place(self, Path(path))
            if chosen is None:
                return False
            path = chosen
        self.close_election()
        try:
            election = ElectionFile.open(path, read_only=read_only)
        except FileLockedError as error:
            answer = QMessageBox.question(self, "文件正在使用", f"{error}\n\n以只读方式打开吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self._read_only_reason = str(error).split("。")[0]
                opened = self.open_file(path, read_only=True)
                self._read_only_reason = ""
                return opened
            return False
        except ElectionFileError as error:
            QMessageBox.critical(self, "无法打开选举文件", str(error))
            return False
        if not self.operator and not election.read_only:
            name, ok = QInputDialog.getText(
                self, "操作员", "请输入您的姓名（记入每一条操作记录）："
            )
            self.operator = name.strip() if ok else ""
        self.election = election
        self.station = CountingStation(election, self.operator)
        self.bridge = StationBridge(self.station, self)
        self.roster = RosterTab(election, self.operator)
        self.meeting = MeetingTab(election, self.operator)
        self.counting = CountingTab(self.station, self.bridge)
        self.recommendation = RecommendationTab(election, self.operator)
        self.evaluation = EvaluationTab(election, self.operator)
        self.tabs.add_page(self.roster, "党员名册")
        self.tabs.add_page(self.recommendation, "民主推荐")
        self.tabs.add_page(self.evaluation, "民主测评")
        self.recommendation.stage_closed.connect(self.evaluation.refresh)
        self.recommendation.stage_closed.connect(self._candidates_changed)
        self.evaluation.stage_closed.connect(self._candidates_changed)
        self.evaluation.projector_button.clicked.connect(self.show_evaluation)
        self.tabs.add_page(self.meeting, "会议签到")
        self.recommendation.projector_button.clicked.connect(self.show_recommendation)
        self.tabs.add_page(self.counting, "选举计票", scroll=False)
        self.counting.export_requested.connect(self.ask_export)
        self.export_action.setEnabled(True)
        self.copy_action.setEnabled(True)
        show_next_stage(self.tabs, election)
        self.meeting.attendance_changed.connect(self._attendance_changed)
        self.roster.roster_changed.connect(self._roster_changed)
        self.meeting.announce.connect(lambda: self.set_projector_mode(ProjectorMode.ATTENDANCE))
        self.stack.setCurrentWidget(self.tabs)
        self.read_only_banner.setVisible(election.read_only)
        if election.read_only:
            self.read_only_banner.setText(
                f"只读：{self._read_only_reason or '这个文件以只读方式打开'}。"
                "这里只能查看，不能录入或修改。"
            )
            self._disable_inputs()
        self._show_file_state()
        self._remember(path)
        return True

    def _station_role(self) -> str:
        """Main station or which box: the two must never be mistaken for each other."""
        if self.election is None:
            return ""
        box = self.election.box_identity()
        return f"{box.name}（分箱计票）" if box is not None else "主计票机"

    def _show_file_state(self) -> None:
        """Title and status line: the election, this station's role, who works, the 校验码
        as of the last action (kept current by the idle timer)."""
        if self.election is None:
            self.file_state.setText("")
            self.setWindowTitle("公推直选计票")
            return
        title = str(self.election.election_details()["title"])
        role = self._station_role()
        suffix = "（只读）" if self.election.read_only else ""
        self.setWindowTitle(f"{title}{suffix} — {role} — 公推直选计票")
        self.file_state.setText(
            f"{role}　{self.election.path.name}　"
            f"操作员：{self.operator or '（只读）'}　校验码 {self.election.short_hash}"
        )
        self._seen_length = self.election.audit_length

    def _idle_tick(self) -> None:
        """A few seconds after any change: the main file made current (a plain copy of it
        then holds everything) and the 校验码 in the status line refreshed."""
        election = self.election
        if election is None or election.audit_length == self._seen_length:
            return
        if not election.read_only:
            try:
                election.checkpoint()
            except ElectionFileError as error:
                self.statusBar().showMessage(str(error))
        self._show_file_state()

    def _disable_inputs(self) -> None:
        """A read-only window offers nothing to type into or press that would change it."""
        for tab in (self.roster, self.recommendation, self.evaluation, self.meeting):
            if tab is None:
                continue
            for kind in (QPushButton, QLineEdit, QCheckBox, QAbstractSpinBox):
                for widget in tab.findChildren(kind):
                    widget.setEnabled(False)
        if self.counting is not None:
            self.counting.set_read_only()

    def ask_copy(self) -> None:
        """文件 → 复制选举文件到…: a consistent copy for a USB stick, made while it is open."""
        if self.election is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self,
            "复制选举文件到（例如 U 盘）",
            str(Path.home() / self.election.path.name),
            "选举文件 (*.gongtui)",
        )
        if target:
            self.copy_election_to(Path(target))

    def copy_election_to(self, target: Path) -> bool:
        assert self.election is not None
        if target.resolve() == self.election.path.resolve():
            QMessageBox.warning(self, "复制选举文件", "请选择另一个位置：不能复制到文件本身")
            return False
        try:
            if target.exists():
                target.unlink()
            self.election.copy_to(target)
        except (OSError, ElectionFileError) as error:
            QMessageBox.warning(self, "复制选举文件", f"没有复制：{error}")
            return False
        QMessageBox.information(
            self,
            "复制选举文件",
            f"已复制到 {target}\n副本包含到此刻为止的全部操作（校验码 {self.election.short_hash}）。",
        )
        return True

    def close_election(self) -> None:
        if self.projector is not None:
            self.projector.close()
            self.projector = None
        while self.tabs.count():
            holder = self.tabs.widget(0)  # the scroll area, with its tab inside
            self.tabs.removeTab(0)
            holder.deleteLater()
        self.counting = None
        self.meeting = None
        self.roster = None
        self.recommendation = None
        self.evaluation = None
        if self.election is not None:
            self.election.close()
            self.election = None
        self.station = None
        self.bridge = None
        self.export_action.setEnabled(False)
        self.copy_action.setEnabled(False)
        self.read_only_banner.setVisible(False)
        self._show_file_state()
        self.stack.setCurrentWidget(self.start)

    # ---- projector -------------------------------------------------------------

    def show_projector(self) -> ProjectorWindow | None:
        if self.station is None or self.bridge is None:
            return None
        if self.projector is None:
            title = str(self.station.election.election_details()["title"])
            self.projector = ProjectorWindow(self.station, title)
            self.bridge.changed.connect(self.projector.follow)
            self.projector.refresh_attendance()
            self.projector.follow()
        screen = self.projector_screen()
        if screen is not None:
            full_screen_on(self.projector, screen)
        else:
            self.projector.show()
        # Typing goes on at the table: the main window keeps the keyboard.
        self.activateWindow()
        self.raise_()
        if self.counting is not None:
            self.counting.editor.setFocus()
        return self.projector

    def _roster_changed(self) -> None:
        if self.meeting is not None:
            self.meeting.refresh()
        if self.recommendation is not None:
            self.recommendation.refresh()
        self._attendance_changed()

    def _attendance_changed(self) -> None:
        if self.counting is not None:
            self.counting.show_quorum()
        if self.projector is not None:
            self.projector.refresh_attendance()

    def ask_export(self) -> None:
        if self.election is None:
            return
        if not confirm_missing(self, self.election):
            return
        folder = QFileDialog.getExistingDirectory(
            self, "导出归档材料到", str(self.election.path.parent)
        )
        if folder:
            self.export_to(Path(folder))

    def export_to(self, outdir: Path) -> ExportRunner | None:
        """Write the archive packet in the background; the result is shown when done."""
        if self.election is None:
            return None
        runner = ExportRunner(self, self.election.path, outdir)
        runner.worker.finished.connect(lambda: self._export_finished(runner))
        self._export = runner
        runner.start()
        return runner

    def _export_finished(self, runner: ExportRunner) -> None:
        if runner.error:
            QMessageBox.warning(self, "导出归档材料", runner.error)
        elif runner.result is not None:
            state = "" if runner.result.finished else "\n选举尚未全部完成，材料中已标明“未完成”。"
            self.statusBar().showMessage(f"已导出归档材料：{runner.result.folder}")
            QMessageBox.information(
                self,
                "导出归档材料",
                f"已导出 {len(runner.result.files)} 个文件到\n{runner.result.folder}\n和 {runner.result.archive.name}{state}",
            )

    # ---- ballot boxes (分箱计票) -------------------------------------------------

    def ask_box_copy(self) -> None:
        """为一个票箱复制选举文件: the box gets a name, the copy knows it, this file records it."""
        if self.election is None:
            return
        name, ok = QInputDialog.getText(
            self,
            "为票箱复制选举文件",
            "投票前在主计票机上为每个票箱复制一份选举文件。\n票箱名称：",
            text=self.election.next_box_name(),
        )
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "为票箱复制选举文件（投票前在主计票机上做）",
            str(self.election.path.with_name(f"{self.election.path.stem}-{name.strip()}.gongtui")),
            "选举文件 (*.gongtui)",
        )
        if not path:
            return
        try:
            box = self.election.issue_box(self.operator, Path(path), name)
        except ElectionFileError as error:
            QMessageBox.warning(self, "为票箱复制选举文件", str(error))
            return
        self.statusBar().showMessage(f"已为{box.name}复制选举文件：{path}")
        QMessageBox.information(
            self,
            "为票箱复制选举文件",
            f"已为{box.name}复制选举文件：\n{path}\n\n"
            "这份文件只用于这个票箱：在票箱的计票机上打开它计票，"
            "再用“导出本机票箱的计票结果…”交回主计票机。",
        )

    def ask_batch_export(self) -> None:
        if self.election is None or self.station is None or self.station.round is None:
            return
        identity = self.election.box_identity()
        if identity is None:
            QMessageBox.warning(
                self,
                "导出本机票箱",
                "本文件是主计票机的选举文件，不是票箱文件：票箱的计票结果只能从主计票机"
                "用“为一个票箱复制选举文件…”复制出的文件导出。",
            )
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            f"导出{identity.name}的计票结果",
            str(self.election.path.with_name(f"{identity.name}.gtbatch")),
            "分箱计票 (*.gtbatch)",
        )
        if path:
            self.export_batch(Path(path))

    def export_batch(self, path: Path) -> bool:
        assert (
            self.election is not None
            and self.station is not None
            and self.station.round is not None
        )
        try:
            write_batch(self.election, self.station.round.id, path)
        except ElectionFileError as error:
            QMessageBox.warning(self, "导出票箱计票结果", str(error))
            return False
        self.statusBar().showMessage(f"已导出 {path}：请用 U 盘交给主计票机导入")
        return True

    def ask_batch_import(self) -> None:
        if self.election is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self, "导入票箱计票结果", str(self.election.path.parent), "分箱计票 (*.gtbatch)"
        )
        if paths:
            self.import_batches([Path(p) for p in paths])

    def import_batches(self, paths: list[Path]) -> list[str]:
        """Each file on its own: one refused does not stop the others; a box already imported
        with other content is replaced only after a 监票人 confirms."""
        assert self.election is not None
        messages = [
            import_with_confirmation(self, self.election, self.operator, path) for path in paths
        ]
        self._boxes_changed()
        QMessageBox.information(self, "导入票箱的计票结果", "\n".join(messages))
        return messages

    def ask_boxes(self) -> BoxesDialog | None:
        """票箱一览 of the round chosen in the counting tab."""
        if self.election is None:
            return None
        identity = self.election.box_identity()
        if identity is not None:
            QMessageBox.information(
                self, "票箱一览", f"本文件是{identity.name}的计票文件：票箱一览在主计票机上查看。"
            )
            return None
        if self.station is None or self.station.round is None:
            QMessageBox.information(self, "票箱一览", "请先在“选举计票”中选择一轮。")
            return None
        dialog = BoxesDialog(self.election, self.operator, self.station.round.id, self)
        dialog.changed.connect(self._boxes_changed)
        self.boxes_dialog = dialog
        dialog.open()
        return dialog

    def _boxes_changed(self) -> None:
        if self.counting is not None:
            self.counting.reload_contests(self.counting.contest_id())
        self._show_file_state()

    def _candidates_changed(self) -> None:
        """A closed stage handed candidates on: the counting tab shows the contests anew."""
        if self.counting is not None:
            self.counting.reload_contests(self.counting.contest_id())

    def show_evaluation(self) -> None:
        """The evaluation results of the position chosen in the tab, on the projector."""
        if self.evaluation is None:
            return
        projector = self.show_projector()
        if projector is not None:
            projector.evaluation = self.evaluation.current
            projector.set_mode(ProjectorMode.EVALUATION)

    def show_recommendation(self) -> None:
        """The recommendation ranking of the position chosen in the tab, on the projector."""
        if self.recommendation is None:
            return
        projector = self.show_projector()
        if projector is not None:
            projector.recommendation = self.recommendation.current_ranking
            projector.set_mode(ProjectorMode.RECOMMENDATION)

    def projector_screen(self) -> QScreen | None:
        """The chosen screen, or the last one when there are several; None with one screen."""
        screens = QApplication.screens()
        if len(screens) < 2:
            return None
        chosen = self.settings.value(PROJECTOR_SCREEN_KEY, "")
        for screen in screens:
            if screen.name() == chosen:
                return screen
        return screens[-1]

    def choose_projector_screen(self) -> None:
        screens = QApplication.screens()
        labels = [f"{s.name()}（{s.geometry().width()}×{s.geometry().height()}）" for s in screens]
        label, ok = QInputDialog.getItem(
            self, "投影屏幕", "投影窗口全屏显示在：", labels, len(labels) - 1, False
        )
        if ok:
            self.settings.setValue(PROJECTOR_SCREEN_KEY, screens[labels.index(label)].name())
            if self.projector is not None:
                self.show_projector()

    def set_projector_mode(self, mode: ProjectorMode) -> None:
        projector = self.show_projector()
        if projector is not None:
            projector.set_mode(mode)

    def unfinished_paper(self) -> str:
        """A paper keyed halfway (marks, a pending number or a write-in typed), in words."""
        counting = self.counting
        if counting is None or counting.editor.keypad is None:
            return ""
        draft = counting.editor.keypad.draft
        typed = counting.editor.write_in.text().strip()
        if draft.empty and not typed:
            return ""
        return "正在录入的选票还没有按 Enter 录入" + (
            f"（另选他人一栏有“{typed}”）" if typed else ""
        )

    def may_close(self) -> bool:
        """Closing with a half-keyed paper asks first (Enter keeps the window open)."""
        unfinished = self.unfinished_paper()
        if not unfinished:
            return True
        return ask(
            self,
            "还有未录完的选票",
            f"{unfinished}：关闭后这张选票不会保存。\n仍然关闭吗？",
            "关闭，不录这张",
            "回去录完",
            enter_means_yes=False,
            icon=QMessageBox.Icon.Warning,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_election()
        super().closeEvent(event)
