"""Table models of the counting tab: the live tally and the list of entered papers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from gongtui_desktop.domain.counting import RoundResult, RoundSpec, judge_paper
from gongtui_desktop.domain.options import CountOptions
from gongtui_desktop.store.records import PaperRecord
from gongtui_desktop.ui.text import paper_in_words, person_state

Index = QModelIndex | QPersistentModelIndex
PASS_BRUSH = QBrush(QColor("#d9f2d9"))
TIE_BRUSH = QBrush(QColor("#fff2cc"))
INVALID_BRUSH = QBrush(QColor("#f8d7da"))


class HeaderedTableModel(QAbstractTableModel):
    """A flat table with fixed column headers; subclasses say how many rows they have."""

    HEADERS: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class TallyModel(HeaderedTableModel):
    """Per person: rank, for / against / abstain and whether they pass (R7, R8, R14)."""

    HEADERS = ("名次", "姓名", "赞成", "不赞成", "弃权", "情况")

    def __init__(self) -> None:
        super().__init__()
        self.result: RoundResult | None = None
        self.final = False

    def set_result(self, result: RoundResult | None, final: bool = False) -> None:
        self.final = final
        old = 0 if self.result is None else len(self.result.votes)
        new = 0 if result is None else len(result.votes)
        if old != new:
            self.beginResetModel()
            self.result = result
            self.endResetModel()
        else:
            self.result = result
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(new - 1, len(self.HEADERS) - 1))

    def row_total(self) -> int:
        return 0 if self.result is None else len(self.result.votes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self.result is None or not index.isValid():
            return None
        person = self.result.votes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return index.row() + 1
            if column == 1:
                return person.name + ("" if person.listed else "（另选）")
            if column == 2:
                return person.approvals
            if column == 3:
                return person.against if person.listed else ""
            if column == 4:
                return person.abstain if person.listed else ""
            return person_state(self.result, person.name, self.final)
        if role == Qt.ItemDataRole.BackgroundRole:
            if person.name in self.result.elected:
                return PASS_BRUSH
            if person.name in self.result.tied:
                return TIE_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 2, 3, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class PaperListModel(HeaderedTableModel):
    """The counted papers in entry order: number, box, the paper in words (as it is read
    against the paper in hand), validity, operator, time."""

    HEADERS = ("序号", "票箱", "选票内容", "有效/无效", "操作员", "时间")

    def __init__(self) -> None:
        super().__init__()
        self.papers: list[PaperRecord] = []
        self.spec: RoundSpec | None = None
        self.options = CountOptions()
        self._explained: dict[int, tuple[bool, str]] = {}

    def reset(
        self, papers: list[PaperRecord], spec: RoundSpec | None, options: CountOptions
    ) -> None:
        self.beginResetModel()
        self.papers = list(papers)
        self.spec = spec
        self.options = options
        self._explained.clear()
        self.endResetModel()

    def append(self, paper: PaperRecord) -> None:
        row = len(self.papers)
        self.beginInsertRows(QModelIndex(), row, row)
        self.papers.append(paper)
        self.endInsertRows()

    def remove_last(self) -> None:
        row = len(self.papers) - 1
        self.beginRemoveRows(QModelIndex(), row, row)
        self.papers.pop()
        self.endRemoveRows()

    def replace(self, old_entry_no: int, paper: PaperRecord) -> None:
        for row, existing in enumerate(self.papers):
            if existing.entry_no == old_entry_no:
                self.papers[row] = paper
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                return

    def _explain(self, paper: PaperRecord) -> tuple[bool, str]:
        cached = self._explained.get(paper.id)
        if cached is None:
            assert self.spec is not None
            judgement = judge_paper(paper.paper, self.spec, self.options)
            text = "有效" if judgement.valid else judgement.explanation().removeprefix("废票：")
            cached = self._explained[paper.id] = (judgement.valid, text)
        return cached

    def row_total(self) -> int:
        return len(self.papers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        paper = self.papers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return paper.entry_no
            if column == 1:
                return paper.box or "本机"
            if column == 2:
                return paper_in_words(paper.paper, self._candidates(), names=False)
            if column == 3:
                return self._explain(paper)[1]
            if column == 4:
                return f"{paper.operator}（扫描）" if paper.scanned else paper.operator
            return paper.entered_at[11:19]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return paper_in_words(paper.paper, self._candidates())
        if role == Qt.ItemDataRole.BackgroundRole and not self._explain(paper)[0]:
            return INVALID_BRUSH
        return None

    def _candidates(self) -> tuple[str, ...]:
        return () if self.spec is None else self.spec.candidates
