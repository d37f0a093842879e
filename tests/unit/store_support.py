"""Shared by the tests that read or write a store: the one way to open a user's store
(where the app and the CLI keep it), a change to one made-up item, and a store holding two."""

from __future__ import annotations

from pathlib import Path

from dlreader.locations import store_path
from dlreader.store import ItemUpdate, Store


def user_store(data_dir: Path | None = None, user: str = "alice") -> Store:
    """``user``'s store in ``data_dir`` (default: the data dir the environment names,
    conftest's ``isolated_dirs``), opened as the app and the CLI open it."""
    return Store.open(store_path(user, data_dir))


def mark(item_id: str, **fields: str) -> ItemUpdate:
    return ItemUpdate(item_id, f"https://example.org/{item_id}", f"Title {item_id}", **fields)


def store_with_two_records(tmp_path: Path) -> Store:
    """alice's store: item a read, item b with a note (two writes, two undo steps)."""
    store = user_store(tmp_path / "data")
    store.apply([mark("a", status="read")])
    store.apply([mark("b", note="a note")])
    return store
