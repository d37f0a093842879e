"""Where the user left a list: topic, item, scope, filter, sort and focused pane.

Kept per user and per list in the store's library record (``ListRecord.resume``), written
when the app quits and read when it opens the list again. Nothing in it is trusted: a
value of the wrong kind is dropped, and an item or topic that has left the list falls
back to its nearest neighbour (``nearest``). Pure core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from msgspec import Struct, field

from dlreader.filters import SORTS, ItemFilter, SortOrder

Pane = Literal["tree", "items", "detail"]
PANES: tuple[Pane, ...] = ("tree", "items", "detail")


class ResumePoint(Struct, frozen=True):
    topic: str | None = None
    #: The topic's ancestors, root first: the nearest one still there stands in for it.
    parents: tuple[str, ...] = ()
    item: str | None = None
    #: Where the item was in the topic's list, for a neighbour when it is gone.
    item_index: int = 0
    recursive: bool = False
    filter: ItemFilter = field(default_factory=ItemFilter)
    sort: SortOrder = "list"
    pane: Pane = "tree"

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "parents": list(self.parents), "item": self.item,
                "item_index": self.item_index,
                "recursive": self.recursive, "filter": self.filter.to_dict(),
                "sort": self.sort, "pane": self.pane}

    @classmethod
    def from_dict(cls, data: object) -> ResumePoint:
        """The point ``data`` describes, with every bad or missing value at its default."""
        if not isinstance(data, dict):
            return cls()

        def text(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) and value else None

        parents = data.get("parents")
        if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
            parents = []
        index = data.get("item_index")
        sort = data.get("sort")
        pane = data.get("pane")
        return cls(
            topic=text("topic"),
            parents=tuple(parents[:64]),
            item=text("item"),
            item_index=index if isinstance(index, int) and not isinstance(index, bool)
            and 0 <= index < 10**9 else 0,
            recursive=data.get("recursive") is True,
            filter=ItemFilter.from_dict(data.get("filter")) or ItemFilter(),
            sort=next((known for known in SORTS if known == sort), "list"),
            pane=next((known for known in PANES if known == pane), "tree"),
        )


def nearest_topic(point: ResumePoint, exists: Callable[[str], bool]) -> str | None:
    """The saved topic, or its nearest ancestor that the list still has."""
    for topic_id in (point.topic, *reversed(point.parents)):
        if topic_id is not None and exists(topic_id):
            return topic_id
    return None


def nearest(ids: Sequence[str], wanted: str | None, index: int) -> str | None:
    """``wanted`` if it is still listed, else the item now at its old place (or the last)."""
    if not ids:
        return None
    if wanted in ids:
        return wanted
    return ids[min(max(index, 0), len(ids) - 1)]
