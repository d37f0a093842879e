"""Per-user reading state: a TinyDB file written atomically, under a lock, with backups
and an undo journal. Pure core: nothing here imports Textual.

``Store`` and ``restore_store`` load on first use: ``dlreader.cli_parser`` imports
``dlreader.store.records`` for its choices, and should not pay for TinyDB and filelock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dlreader.store.records import PRIORITIES, STATUSES, ItemState, ItemUpdate, Step

if TYPE_CHECKING:
    from dlreader.store.restore import RestoreOutcome, restore_store
    from dlreader.store.store import Store

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
    if name == "Store":
        from dlreader.store import store

        return store.Store
    if name in ("RestoreOutcome", "restore_store"):
        from dlreader.store import restore

        return getattr(restore, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
