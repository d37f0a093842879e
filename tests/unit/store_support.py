"""Shared by the store tests: a change to one made-up item, and a store holding two."""

from __future__ import annotations

from pathlib import Path

from dlreader.store import ItemUpdate, Store


def mark(item_id: str, **fields: str) -> ItemUpdate:
    return ItemUpdate(item_id, f"https://example.org/{item_id}", f"Title {item_id}", **fields)


def store_with_two_records(tmp_path: Path) -> Store:
    """alice's store: item a read, item b with a note (two writes, two undo steps)."""
    store = Store.open(tmp_path / "data" / "alice.json")
    store.apply([mark("a", status="read")])
    store.apply([mark("b", note="a note")])
    return store
