"""Per-user reading state: a TinyDB file written atomically, under a lock, with backups
and an undo journal. Pure core: nothing here imports Textual.

``Store`` and ``restore_store`` load on first use: ``dlreader.cli`` imports
``dlreader.store.records`` for its choices, and should not pay for TinyDB and filelock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dlreader.store.records import PRIORITIES, STATUSES, ItemState, ItemUpdate, Step

if TYPE_CHECKING:
    from dlreader.store.store import RestoreOutcome, Store, restore_store

__all__ = [
    "PRIORITIES",
    "STATUSES",
    "ItemState",
    "ItemUpdate",
    "RestoreOutcome",
    "Step",
    "Store",
    "restore_store",
]


def __getattr__(name: str) -> Any:
    if name in ("RestoreOutcome", "Store", "restore_store"):
        from dlreader.store import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
