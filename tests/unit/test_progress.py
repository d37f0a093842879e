"""Done = read + skipped, bars and percentages round down (issue #12 item 5)."""

from __future__ import annotations

from dlreader.progress import (
    count_done,
    count_statuses,
    filled_cells,
    percent,
    text_bar,
    topic_mark_question,
    topic_mark_report,
)
from dlreader.store.records import ItemState


def test_a_skipped_item_is_done_and_an_unread_one_is_not() -> None:
    states = {
        "a": ItemState("a", None, "a", status="read"),
        "b": ItemState("b", None, "b", status="skipped"),
        "c": ItemState("c", None, "c", status="reading"),
    }
    assert count_done(["a", "b", "c", "d"], states) == 2


def test_bars_round_down_and_are_full_only_when_all_is_done() -> None:
    assert filled_cells(1, 587, 6) == 0  # 1/587 is not a sixth of the way
    assert filled_cells(586, 587, 6) == 5
    assert filled_cells(587, 587, 6) == 6
    assert filled_cells(0, 0, 6) == 0
    assert percent(586, 587) == 99 and percent(587, 587) == 100 and percent(1, 587) == 0
    assert text_bar(5, 10, 4) == "██░░"


def test_marking_a_topic_says_what_it_does_with_skipped_items() -> None:
    question = topic_mark_question(["unread", "unread", "reading", "skipped", "read"], "T")
    assert question == "Mark 3 items under “T” read (2 unread, 1 reading)? 1 skipped stay skipped."


def test_the_cli_says_what_marking_a_topic_did_with_each_status() -> None:
    counts = count_statuses(["unread", "unread", "reading", "read", "bogus"])
    assert counts == {"unread": 2, "reading": 1, "read": 1, "skipped": 0}
    assert topic_mark_report(counts, "read", "T", kept_skipped=2) == (
        "under “T”: 2 unread, 1 reading became read; 1 already read; 2 skipped stay skipped "
        "(--include-skipped marks skipped items too)")
    assert topic_mark_report(count_statuses(["skipped"]), "read", "T", kept_skipped=0) == (
        "under “T”: 1 skipped became read")
    assert topic_mark_report(count_statuses([]), "read", "T", kept_skipped=1) == (
        "under “T”: 1 skipped stays skipped (--include-skipped marks skipped items too)")
