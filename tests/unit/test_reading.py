"""The reading view: rollups, incremental updates, filters, sorts and search."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from cli_support import run_fresh

from dlreader.catalog.model import Catalog, Item, Passage, Topic
from dlreader.catalog.parser import parse_catalog
from dlreader.filters import SORTS, ItemFilter, next_preset, preset
from dlreader.reading import FILTERS, ReadingState, domain_of
from dlreader.store.records import ItemState
from dlreader.textsafe import one_line, strip_control


def catalog() -> Catalog:
    """root ─ a ─ a1        items: x (a, a1), y (a), z (a1), w (b)
            └ b"""
    topics = [
        Topic("root", "Root", 1, None, 1, [], [], ["a", "b"]),
        Topic("a", "A", 2, "root", 2, ["x", "y"], [Passage("quote", "Gradient descent rocks",
                                                           "https://q.example", 3)], ["a1"]),
        Topic("a1", "A one", 3, "a", 4, ["z", "x"], [], []),
        Topic("b", "B", 2, "root", 5, ["w"], [], []),
    ]
    items = {
        "x": Item("x", "https://www.x.example/p", "Deep networks", ["Deep networks"],
                  ["a", "a1"], 2),
        "y": Item("y", "https://y.example/q", "Kernel methods", ["Kernel methods"], ["a"], 2),
        "z": Item("z", "https://z.example/r", "Zebra paper", ["Zebra paper"], ["a1"], 4),
        "w": Item("w", None, "A citation", ["A citation"], ["b"], 5),
    }
    return Catalog("list.md", "List", topics, items)


def state(
    item_id: str, status: str = "unread", priority: str = "none", note: str = ""
) -> ItemState:
    return ItemState(item_id, None, item_id, status=status, priority=priority, note=note)


def brute_progress(view: ReadingState, topic_id: str) -> tuple[int, int]:
    ids = view.catalog.item_ids_under(topic_id, recursive=True)
    return sum(view.status(i) in ("read", "skipped") for i in ids), len(ids)


def test_rollups_count_each_item_once_per_subtree() -> None:
    view = ReadingState(catalog(), {"x": state("x", "read")})
    assert view.progress("root") == (1, 4)
    assert view.progress("a") == (1, 3)  # x is under a and a1: counted once
    assert view.progress("a1") == (1, 2)
    assert view.progress("b") == (0, 1)
    assert view.overall() == (1, 4)
    assert view.also_in("x") == 1 and view.also_in("y") == 0


def test_an_items_home_topic_is_its_own_as_seen_from_the_listed_topic() -> None:
    view = ReadingState(catalog(), {})
    assert view.home_topic("x", "a") == "a"  # listed there itself (and in a1)
    assert view.home_topic("z", "a") == "a1"  # came with the subtopic
    assert view.home_topic("z", "root") == "a1" and view.home_topic("x", "root") == "a"
    assert view.home_topic("w", "a") == "b"  # not under it at all: its first topic
    assert view.home_topic("z", None) == "a1"
    assert view.home_topic("gone", "a") == "a"


def test_apply_updates_only_the_changed_items_ancestors() -> None:
    view = ReadingState(catalog(), {})
    change = view.apply(view.updates_for(["z"], status="read"))
    assert change.items == {"z"}
    assert change.topics == {"a1", "a", "root"}
    assert view.progress("a1") == (1, 2)
    change = view.apply(view.updates_for(["z"], priority="high"))
    assert change.items == {"z"} and change.topics == set()  # counts did not move
    assert view.status("z") == "read" and view.priority("z") == "high"
    change = view.apply(view.updates_for(["z"], status="skipped"))
    assert change.topics == set()  # read to skipped: still done (issue #12 item 5)
    assert view.progress("root") == (1, 4)
    change = view.apply(view.updates_for(["z"], status="reading"))
    assert change.topics == {"a1", "a", "root"}
    assert view.progress("root") == (0, 4)


def test_incremental_counts_match_a_full_recount_on_the_seed(seed_path: Path) -> None:
    parsed = parse_catalog(seed_path.read_text(encoding="utf-8"), str(seed_path))
    view = ReadingState(parsed, {})
    ids = list(parsed.items)
    rng = random.Random(7)
    for _ in range(300):
        item_id = rng.choice(ids)
        view.apply(view.updates_for([item_id], status=rng.choice(["read", "unread", "reading"])))
    for topic in parsed.topics:
        assert view.progress(topic.id) == brute_progress(view, topic.id)
    snapshot = view.states()
    fresh = ReadingState(parsed, snapshot)
    assert all(fresh.progress(t.id) == view.progress(t.id) for t in parsed.topics)


def test_replace_states_clears_records_the_store_no_longer_has() -> None:
    view = ReadingState(catalog(), {"x": state("x", "read"), "y": state("y", note="n")})
    change = view.replace_states({"z": state("z", "read")})
    assert view.state("x") is None and view.state("y") is None
    assert view.status("z") == "read"
    assert change.items == {"x", "y", "z"}
    assert view.progress("a") == (1, 3)


def test_a_change_shown_at_once_is_dated_as_the_store_dates_it() -> None:
    # The stats' streak reads these dates: a mark counts today before the writer answers.
    import datetime as dt

    from dlreader.activity import done_day

    view = ReadingState(catalog(), {})
    change = view.apply(view.updates_for(["x"], status="read"))
    marked = view.state("x")
    assert change.items == {"x"} and marked is not None and marked.read_at
    assert done_day(marked) == dt.datetime.now(dt.UTC).date()
    assert view.apply(view.updates_for(["x"], status="read")).items == frozenset()
    view.apply(view.updates_for(["x"], status="unread"))
    unmarked = view.state("x")
    assert unmarked is not None and unmarked.read_at is None and unmarked.updated


def test_states_for_items_not_in_the_list_are_kept_but_not_counted() -> None:
    view = ReadingState(catalog(), {"gone": state("gone", "read")})
    assert view.overall() == (0, 4)
    view.set_states({"gone": None})
    assert view.overall() == (0, 4)


def test_filters_and_sorts() -> None:
    states = {
        "x": state("x", "read", "low"),
        "y": state("y", "reading", "high", note="  "),
        "z": state("z", "skipped", note="zebra note"),
    }
    view = ReadingState(catalog(), states)
    assert view.item_ids("a", recursive=True) == ["x", "y", "z"]
    assert view.item_ids("a") == ["x", "y"]
    assert view.item_ids("a", recursive=True, filter="unread") == ["y"]
    # Prioritised means still to do: x is read (issue #12).
    assert view.item_ids("a", recursive=True, filter="prioritised") == ["y"]
    assert view.item_ids("a", recursive=True, filter="reading") == ["y"]
    assert view.item_ids("a", recursive=True, filter="noted") == ["z"]  # blank note is none
    assert view.item_ids("a", recursive=True, sort="priority") == ["y", "x", "z"]
    assert view.item_ids("a", recursive=True, sort="status") == ["y", "x", "z"]
    assert FILTERS == ("all", "to do", "reading", "prioritised", "noted", "new", "dead links")
    assert view.item_ids("a", recursive=True, filter="new") == []
    view.set_new(["z", "not-in-the-list"])
    assert view.item_ids("a", recursive=True, filter="new") == ["z"]
    assert view.new_count("a") == 1 and view.is_new("z")
    change = view.mark_seen(["z", "x"])
    assert change.items == {"z"} and "a" in change.topics
    assert view.new_count("a") == 0 and view.new_ids() == []
    assert SORTS == ("list", "priority", "status")
    with pytest.raises(ValueError):
        view.item_ids("a", filter="nope")


def test_filter_facets_combine() -> None:
    states = {
        "x": state("x", "read", "low", note="n"),
        "y": state("y", "reading", "high", note="n"),
        "z": state("z", "unread", "medium"),
    }
    states["y"].tags = ["ml"]
    view = ReadingState(catalog(), states)
    both = ItemFilter(statuses=frozenset({"unread", "reading"}), min_priority="medium")
    assert view.item_ids("a", recursive=True, filter=both) == ["y", "z"]
    assert both.describe() == "unread or reading · priority ≥ medium"
    noted = ItemFilter(statuses=frozenset({"reading", "read"}), noted=True)
    assert view.item_ids("a", recursive=True, filter=noted) == ["x", "y"]
    tagged = ItemFilter(tags=frozenset({"ml"}), noted=True)
    assert view.item_ids("a", recursive=True, filter=tagged) == ["y"]
    assert tagged.describe() == "noted · #ml"
    assert ItemFilter.from_dict(both.to_dict()) == both
    assert ItemFilter.from_dict({"statuses": "read"}) is None
    assert ItemFilter.from_dict({"statuses": ["nope"]}) is None
    assert next_preset(both) == ItemFilter() and preset("unread") == preset("to do")


def test_search_titles_urls_notes_passages_best_first() -> None:
    view = ReadingState(catalog(), {"y": state("y", note="read this with coffee")})
    hits = view.search("deep")
    assert hits[0].item_id == "x" and (hits[0].kind, hits[0].field) == ("item", "title")
    assert hits[0].match == "word"
    assert view.search("z.example")[0].item_id == "z"
    note_hits = view.search("coffee")
    assert [(h.kind, h.item_id) for h in note_hits] == [("note", "y")]
    passage = view.search("gradient descent")
    assert passage[0].kind == "passage" and passage[0].item_id is None
    assert passage[0].topic_id == "a"
    # Fuzzy: a near spelling of a title, when nothing matched by words.
    fuzzy = view.search("netwroks")
    assert fuzzy[0].item_id == "x" and fuzzy[0].match == "fuzzy"
    # Topic titles are searched; a scoped search sees only the topic's subtree.
    assert [(h.kind, h.topic_id) for h in view.search("one")] == [("topic", "a1")]
    assert [h.item_id for h in view.search("paper", within_topic="b")] == []
    assert [h.item_id for h in view.search("paper", within_topic="a")] == ["z"]
    assert view.search("") == []
    assert view.search("qqqqqq") == []
    # One hit per item even when several fields match.
    assert len([h for h in view.search("example") if h.item_id == "x"]) == 1


def test_search_sees_notes_added_later() -> None:
    view = ReadingState(catalog(), {})
    assert view.search("marmalade") == []
    view.apply(view.updates_for(["w"], note="marmalade"))
    assert view.search("marmalade")[0].item_id == "w"


def test_domain_and_text_safety() -> None:
    assert domain_of("https://www.arxiv.org/abs/1") == "arxiv.org"
    assert domain_of(None) == ""
    assert strip_control("a\x1b[31mb\x07c\x9bd\x7fe\tf\ng") == "a[31mbcde\tf\ng"
    assert one_line(" a \n b\x00 ") == "a b"


def test_reading_settings_and_textsafe_are_pure_core() -> None:
    code = (
        "import sys, dlreader.reading, dlreader.settings, dlreader.textsafe\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    assert run_fresh(code) == "False"


def test_search_finds_descriptions_and_secondary_links() -> None:
    catalog = parse_catalog("# T\n\n- [Ant](https://ant.org/) - a build tool for Java. "
                            "([Source Code](https://github.com/apache/ant))\n", "l.md")
    view = ReadingState(catalog, {})
    (item,) = catalog.items.values()
    assert [(hit.field, hit.item_id) for hit in view.search("build tool")][:1] == [
        ("description", item.id)]
    # One hit per item, from its best field; a secondary link's URL is searched too.
    assert [(hit.field, hit.item_id) for hit in view.search("apache")] == [("link", item.id)]
