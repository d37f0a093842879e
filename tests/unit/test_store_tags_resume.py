"""Tags, own titles and the resume point in a real store file (issue #12, schema 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_support import user_store

from dlreader.errors import StoreDamaged, UsageError
from dlreader.store import ItemUpdate, Store
from dlreader.store.schema import SCHEMA_VERSION

RECORD = {"item_id": "a", "url": "https://a.org/1", "title": "Only A", "status": "read",
          "priority": "none", "note": "", "created": "2026-01-01T00:00:00Z",
          "updated": "2026-01-01T00:00:00Z", "read_at": "2026-01-01T00:00:00Z"}


def schema_3_store(path: Path) -> bytes:
    old = {
        "meta": {"1": {"schema": 3, "app": "dlreader", "next_seq": 2}},
        "items": {"1": dict(RECORD)},
        "journal": {"1": {"seq": 1, "time": "2026-01-01T00:00:00Z", "label": "status read",
                          "undone": False, "before": {"a": None}, "after": {"a": RECORD},
                          "list": "bundled"}},
        "lists": {"1": {"key": "bundled", "name": "seed", "source": "", "added": "",
                        "opened": "", "known": ["a"]}},
    }
    raw = json.dumps(old).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return raw


def test_a_schema_3_store_gains_tags_titles_and_resume_and_still_undoes(tmp_path: Path) -> None:
    path = tmp_path / "alice.json"
    raw = schema_3_store(path)
    store = Store.open(path)
    assert store.states()["a"].tags == [] and store.states()["a"].own_title == ""
    assert store.apply([ItemUpdate("a", "https://a.org/1", "Only A", add_tags=("x",))])
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert data["lists"]["1"]["resume"] == {}
    assert data["journal"]["1"]["after"]["a"]["tags"] == []
    backups = sorted((path.parent / "backups").iterdir())
    assert backups and backups[0].read_bytes() == raw
    assert store.undo("bundled") is not None and store.states()["a"].tags == []
    assert store.undo("bundled") is not None and store.states() == {}
    store.close()


def test_tags_add_remove_in_order_and_titles_round_trip(tmp_path: Path) -> None:
    store = user_store(tmp_path)
    store.apply([ItemUpdate("a", None, "A", add_tags=("ml", "rl", "ml"))])
    store.apply([ItemUpdate("a", None, "A", add_tags=("cv",), remove_tags=("rl",),
                            own_title="Mine")])
    store.close()
    state = user_store(tmp_path).states()["a"]
    assert state.tags == ["ml", "cv"] and state.own_title == "Mine"
    assert state.shown_title("A") == "Mine"
    with pytest.raises(UsageError):
        user_store(tmp_path).apply(
            [ItemUpdate("a", None, "A", add_tags=("\x1b[2J",))])


def test_the_resume_point_is_kept_per_list(tmp_path: Path) -> None:
    store = user_store(tmp_path)
    store.remember_list("one", "one", "/one.md", ["a"])
    store.remember_list("two", "two", "/two.md", ["b"])
    assert store.set_resume("one", {"topic": "t1", "item": "a", "recursive": True})
    assert not store.set_resume("three", {"topic": "x"})
    store.close()
    again = user_store(tmp_path)
    record = again.list_record("one")
    assert record is not None and record.resume == {"topic": "t1", "item": "a",
                                                    "recursive": True}
    two = again.list_record("two")
    assert two is not None and two.resume == {}


def test_tags_that_are_not_a_list_of_text_are_a_damaged_store(tmp_path: Path) -> None:
    path = tmp_path / "alice.json"
    Store.open(path).apply([ItemUpdate("a", None, "A", add_tags=("ml",))])
    data = json.loads(path.read_text())
    data["items"]["1"]["tags"] = "ml"
    path.write_text(json.dumps(data))
    with pytest.raises(StoreDamaged):
        Store.open(path)
