"""The queue: what to read next, across the whole list.

Items being read come first, then unread ones by priority (high, medium, low, none),
ties in list order; read and skipped items never. One order for the app's queue view
and `dlreader next`. Pure core.
"""

from __future__ import annotations

from collections.abc import Mapping

from dlreader.catalog.model import Catalog
from dlreader.store.records import ItemState

_PRIORITY_FIRST = {"high": 0, "medium": 1, "low": 2, "none": 3}


def queue_rank(state: ItemState | None) -> tuple[int, int] | None:
    """Where an item with ``state`` goes in the queue (smaller first), None if it is done."""
    status = state.status if state is not None else "unread"
    priority = state.priority if state is not None else "none"
    if status == "reading":
        return 0, 0
    if status == "unread":
        return 1, _PRIORITY_FIRST.get(priority, 3)
    return None


def queue_ids(catalog: Catalog, states: Mapping[str, ItemState]) -> list[str]:
    """The queue's item ids, first to read first (a stable sort keeps list order)."""
    ranked = [(rank, item_id) for item_id in catalog.items
              if (rank := queue_rank(states.get(item_id))) is not None]
    ranked.sort(key=lambda pair: pair[0])
    return [item_id for _, item_id in ranked]
