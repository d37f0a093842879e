"""The journal keeps only what a step changed and is bounded by bytes (issue #9, item 8)."""

from __future__ import annotations

import json
from pathlib import Path

from store_support import mark, user_store

from dlreader.store.journal import JOURNAL_BYTES

BIG_NOTE = "n" * (10 << 20)  # 10 MB


def test_changing_the_priority_of_a_noted_item_does_not_copy_the_note(tmp_path: Path) -> None:
    store = user_store(tmp_path)
    store.apply([mark("a", note=BIG_NOTE)])
    after_note = store.path.stat().st_size
    for priority in ("low", "medium", "high", "low", "medium", "high"):
        store.apply([mark("a", priority=priority)])
    # v1 grew by 20 MB per change (147 MB after six); now by a few hundred bytes each.
    assert store.path.stat().st_size - after_note < 10_000
    for expected in ("medium", "low", "high", "medium", "low", "none"):
        store.undo()
        assert store.get("a").priority == expected  # type: ignore[union-attr]
        assert store.get("a").note == BIG_NOTE  # type: ignore[union-attr]
    store.undo()  # the note step: the item had no record before
    assert store.get("a") is None
    store.redo()
    store.redo()
    state = store.get("a")
    assert state is not None and state.note == BIG_NOTE and state.priority == "low"
    store.close()
    reopened = user_store(tmp_path)  # what is on disk checks as a store
    assert reopened.get("a") == state
    reopened.close()


def test_the_journal_is_bounded_by_bytes_and_keeps_the_newest_step(tmp_path: Path) -> None:
    store = user_store(tmp_path)
    for number in range(4):
        store.apply([mark(f"i-{number}", note=str(number) * (6 << 20))], label=f"note {number}")
    journal = json.loads(store.path.read_text(encoding="utf-8"))["journal"]
    sizes = sum(len(json.dumps(doc)) for doc in journal.values())
    assert sizes <= JOURNAL_BYTES + (7 << 20)  # the bound, plus the newest step kept whole
    assert [step.label for step in store.history()][-1] == "note 3"
    assert len(store.history()) < 4
    store.undo()
    assert store.get("i-3") is None and store.get("i-2") is not None
    store.close()


def test_a_v1_journal_with_whole_records_still_undoes(tmp_path: Path) -> None:
    store = user_store(tmp_path)
    store.apply([mark("a", status="read")])
    store.apply([mark("a", priority="high")])
    store.close()
    raw = json.loads((tmp_path / "alice.json").read_text(encoding="utf-8"))
    (record,) = raw["items"].values()
    newest = max(raw["journal"].values(), key=lambda doc: doc["seq"])
    # As dlreader 1 wrote it: the whole record on both sides.
    newest["after"]["a"] = dict(record)
    newest["before"]["a"] = {**record, "priority": "none"}
    newest.pop("size", None)
    (tmp_path / "alice.json").write_text(json.dumps(raw), encoding="utf-8")
    store = user_store(tmp_path)
    store.undo()
    state = store.get("a")
    assert state is not None and state.priority == "none" and state.status == "read"
    store.close()
