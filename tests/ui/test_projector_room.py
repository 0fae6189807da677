"""The projector as the room reads it: nothing looks elected mid-count, the result names
every candidate with their votes and the round's 校验码, no figure is cut on a small
projector, and each screen's heading says what it shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFontMetricsF, QImage

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import PASS, ProjectorMode, ProjectorWindow
from tests.ui.test_entry_modes import menu_action


def green_pixels(image: QImage) -> int:
    """Pixels painted in the "elected" colour (sampled on a grid: enough for bars)."""
    wanted = PASS.rgb()
    return sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixel(x, y) == wanted
    )


def demo_round(window: MainWindow, tmp_path: Path) -> ProjectorWindow:
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    assert window.counting is not None
    for text in ("-OOO",) * 9 + ("O-OO",) * 4 + ("OO-O",) * 5:
        window.counting.station.enter(parse_shorthand(text, 4))
    menu_action(window, "投影", "打开投影窗口").trigger()
    projector = window.projector
    assert projector is not None
    return projector


def test_nothing_looks_elected_until_the_round_is_closed(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    projector = demo_round(window, tmp_path)
    menu_action(window, "投影", "投影显示：实时计票").trigger()
    projector.resize(1024, 768)
    assert green_pixels(projector.grab().toImage()) == 0  # neutral bars while counting
    tab = window.counting
    assert tab is not None
    tab.collected.setValue(18)
    tab.save_papers.click()
    tab.close_button.click()
    assert green_pixels(projector.grab().toImage()) > 50  # closed: the elected in green


def test_the_result_screen_lists_every_candidate_and_the_code(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    projector = demo_round(window, tmp_path)
    tab = window.counting
    assert tab is not None
    tab.collected.setValue(18)
    tab.save_papers.click()
    tab.close_button.click()
    tab.confirm("周丽萍")
    menu_action(window, "投影", "投影显示：选举结果").trigger()
    assert projector.mode is ProjectorMode.FINAL
    result = tab.station.result()
    assert result is not None
    lines = [text for text, _ in projector.final_lines(result)]
    candidates = result.spec.candidates
    assert [line.split("　")[0] for line in lines[: len(candidates)]] == list(candidates)
    assert all("赞成" in line and "不赞成" in line for line in lines[: len(candidates)])
    assert sum("当选" in line for line in lines[: len(candidates)]) == len(result.elected)
    code = tab.station.election.round_code(tab.station.round.id)  # type: ignore[union-attr]
    assert code and lines[-1] == f"有效票 18 张　无效票 0 张　校验码 {code}"


def test_the_figures_are_never_cut_on_a_small_projector(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    projector = demo_round(window, tmp_path)
    projector.unsettled = 3  # as in a double-entry round with papers to settle
    projector.scans_waiting = 2
    result = window.counting.station.result()  # type: ignore[union-attr]
    assert result is not None
    lines = projector.summary_lines(result)
    assert "双人录入待核对 3 张" in lines[1] and "扫描选票待核定 2 张" in lines[1]
    for size in ((1024, 768), (1280, 720), (1920, 1080)):
        projector.resize(*size)
        unit = min(size[1] / 22, size[0] / 34)
        font = projector._fitting_font(unit * 0.9, lines, size[0] - 2 * unit)
        widest = max(QFontMetricsF(font).horizontalAdvance(line) for line in lines)
        assert widest <= size[0] - 2 * unit, size


def test_each_screen_is_headed_by_what_it_shows(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    projector = demo_round(window, tmp_path)
    assert "第 1 轮" in projector._heading()
    projector.set_mode(ProjectorMode.EVALUATION)
    assert projector._heading() == "民主测评结果"
    projector.set_mode(ProjectorMode.RECOMMENDATION)
    assert projector._heading() == "民主推荐结果"
    assert QColor(PASS).isValid()
