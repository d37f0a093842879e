"""Per-user reading state: a TinyDB file written atomically, under a lock, with backups
and an undo journal. Pure core: nothing here imports Textual."""

from dlreader.store.records import PRIORITIES, STATUSES, ItemState, ItemUpdate, Step
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
