"""The counting station's key grammar, with the key counts of issue #4."""

from __future__ import annotations

from gongtui_desktop.domain.ballots import Mark, parse_shorthand
from gongtui_desktop.domain.counting import RoundSpec
from gongtui_desktop.services.keypad import Keypad, Outcome

FOR, AGAINST, NONE = Mark.FOR, Mark.AGAINST, Mark.NONE


def keypad(candidates: int, seats: int) -> Keypad:
    return Keypad(RoundSpec(seats, tuple(f"候选人{i}" for i in range(1, candidates + 1)), 30, 30))


def type_keys(pad: Keypad, *keys: str) -> list:
    return [pad.press(k) for k in keys]


def test_k_marks_cost_k_plus_one_keys_up_to_nine_candidates() -> None:
    pad = keypad(9, 5)
    replies = type_keys(pad, "1", "4", "9", "Enter")
    assert pad.keys_pressed == 3 + 1
    assert replies[-1].outcome is Outcome.COMMIT
    assert replies[-1].paper.marks == (FOR, NONE, NONE, FOR, NONE, NONE, NONE, NONE, FOR)


def test_two_digits_from_ten_candidates() -> None:
    pad = keypad(12, 7)
    replies = type_keys(pad, "0", "3", "1", "2", "Enter")
    assert pad.keys_pressed == 2 * 2 + 1
    assert replies[-1].paper.marks[2] is FOR and replies[-1].paper.marks[11] is FOR


def test_blank_paper_is_one_key() -> None:
    pad = keypad(5, 4)
    reply = pad.press("/")
    assert pad.keys_pressed == 1 and reply.outcome is Outcome.COMMIT
    assert reply.paper.marks == (NONE,) * 5


def test_all_except_in_a_five_for_four_contest_is_three_keys() -> None:
    pad = keypad(5, 4)
    replies = type_keys(pad, "*", "5", "Enter")
    assert pad.keys_pressed == 3
    assert replies[-1].paper.marks == (FOR, FOR, FOR, FOR, NONE)


def test_same_number_cycles_and_modifier_marks_against() -> None:
    pad = keypad(4, 2)
    type_keys(pad, "2", "2")
    assert pad.draft.marks[1] is AGAINST
    pad.press("2")
    assert pad.draft.marks[1] is NONE
    pad.press("3", control=True)
    pad.press("-")
    pad.press("4")
    assert pad.draft.marks == (NONE, NONE, AGAINST, AGAINST)


def test_over_vote_needs_a_second_enter() -> None:
    pad = keypad(4, 2)
    first = type_keys(pad, "1", "2", "3", "Enter")[-1]
    assert first.outcome is Outcome.WARN
    assert first.message.startswith("废票：所选人数多于应选人数：赞成 3 人，应选 2 人。")
    second = pad.press("Enter")
    assert second.outcome is Outcome.COMMIT and second.paper.marks == (FOR, FOR, FOR, NONE)


def test_fixing_an_over_vote_asks_again() -> None:
    pad = keypad(4, 2)
    type_keys(pad, "1", "2", "3", "Enter")
    pad.press("3")  # ○ → ×: now valid
    assert pad.press("Enter").outcome is Outcome.COMMIT


def test_escape_backspace_and_bad_numbers() -> None:
    pad = keypad(4, 2)
    type_keys(pad, "1", "2")
    pad.press("Backspace")
    assert pad.draft.marks == (FOR, NONE, NONE, NONE)
    pad.press("Esc")
    assert pad.draft.empty
    assert pad.press("7").message == "没有第 7 号候选人"
    assert pad.press("Enter").message == "这张选票没有任何标记：空白票请按 /"
    type_keys(pad, "1")
    assert pad.press("/").outcome is Outcome.WARN


def test_write_in_and_void() -> None:
    pad = keypad(4, 2)
    assert pad.press("+").outcome is Outcome.OPEN_WRITE_IN
    pad.add_write_in("钱七", person_id=7)
    pad.press("1")
    reply = pad.press("Enter")
    assert reply.paper == parse_shorthand("O--- +钱七", 4) and reply.write_in_people == (7,)
    pad.press("1")
    assert pad.press(".").outcome is Outcome.ASK_VOID_REASON
    void = pad.void("有记号")
    assert void.paper.void_reason == "有记号" and void.paper.marks[0] is FOR
    assert pad.draft.empty
