"""Random sequences of changes, undos and redos from two store objects, against a tiny model.

The model is a dict of records plus an undo and a redo stack; after every operation the
store (and a fresh open of its file) must agree with it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dlreader.store import ItemUpdate, Store
from dlreader.store.records import PRIORITIES, STATUSES

Choice = tuple[str, str, str]  # status, priority, note
Records = dict[str, Choice]
ITEMS = [f"item{n}" for n in range(8)]


class Model:
    def __init__(self) -> None:
        self.records: Records = {}
        self.done: list[tuple[dict[str, Choice | None], dict[str, Choice | None]]] = []
        self.undone: list[tuple[dict[str, Choice | None], dict[str, Choice | None]]] = []

    def apply(self, updates: list[ItemUpdate]) -> bool:
        working: dict[str, Choice] = {}
        touched: set[str] = set()
        for update in updates:
            status, priority, note = working.get(update.item_id) or self.records.get(
                update.item_id, ("unread", "none", "")
            )
            if update.status is not None:
                status = update.status
            if update.priority is not None:
                priority = update.priority
            if update.note is not None:
                note = update.note
            if (update.status, update.priority, update.note) != (None, None, None):
                touched.add(update.item_id)
            working[update.item_id] = (status, priority, note)
        before: dict[str, Choice | None] = {}
        after: dict[str, Choice | None] = {}
        for item_id, choice in working.items():
            old = self.records.get(item_id)
            if (old is None and item_id not in touched) or old == choice:
                continue
            before[item_id], after[item_id] = old, choice
        if not after:
            return False
        self._put(after)
        self.done.append((before, after))
        self.undone.clear()
        return True

    def undo(self) -> bool:
        if not self.done:
            return False
        before, after = self.done.pop()
        self._put(before)
        self.undone.append((before, after))
        return True

    def redo(self) -> bool:
        if not self.undone:
            return False
        before, after = self.undone.pop()
        self._put(after)
        self.done.append((before, after))
        return True

    def _put(self, records: dict[str, Choice | None]) -> None:
        for item_id, choice in records.items():
            if choice is None:
                self.records.pop(item_id, None)
            else:
                self.records[item_id] = choice


def choices(store: Store) -> Records:
    return {i: (s.status, s.priority, s.note) for i, s in store.states().items()}


def random_updates(rng: random.Random) -> list[ItemUpdate]:
    updates = []
    for _ in range(rng.randint(1, 3)):
        item_id = rng.choice(ITEMS)
        updates.append(
            ItemUpdate(
                item_id,
                f"https://example.org/{item_id}",
                item_id.title(),
                status=rng.choice([None, *STATUSES]),
                priority=rng.choice([None, *PRIORITIES]),
                note=rng.choice([None, "", "a note", "ünïcode ✓\nline two"]),
            )
        )
    return updates


@pytest.mark.parametrize("seed", range(4))
def test_random_operations_agree_with_the_model(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "data" / "alice.json"
    stores = [Store.open(path), Store.open(path)]  # the app and the CLI, say
    model = Model()
    for _ in range(150):
        store = rng.choice(stores)
        operation = rng.choices(["apply", "undo", "redo", "reopen"], weights=[6, 2, 2, 1])[0]
        if operation == "apply":
            updates = random_updates(rng)
            assert (store.apply(updates) is not None) == model.apply(updates)
        elif operation == "undo":
            assert (store.undo() is not None) == model.undo()
        elif operation == "redo":
            assert (store.redo() is not None) == model.redo()
        else:
            stores[stores.index(store)] = store = Store.open(path)
        store.reload_if_changed()
        assert choices(store) == model.records
        assert choices(Store.open(path)) == model.records
        for state in store.states().values():
            assert (state.read_at is not None) == (state.status == "read")
            assert state.created <= state.updated
