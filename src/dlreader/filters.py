"""One filter model for the app's list and `dlreader list`: facets that combine.

A filter is a set of statuses (empty: any), a lowest priority, "has a note", tags (all of
them), "new since last time" and "dead link" (what `dlreader check` found). Every facet
that is set must hold. ``f`` in the app cycles ``PRESETS``; a dialog sets any combination;
``describe`` says the filter in words for the list's header. Pure core.
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field

from dlreader.store.records import (
    PRIORITIES,
    STATUSES,
    ItemState,
    Priority,
    Status,
    as_priority,
    as_status,
)

#: The orders the list can be shown in (the filter says which items, the sort in what order).
SortOrder = Literal["list", "priority", "status"]
SORTS: tuple[SortOrder, ...] = ("list", "priority", "status")

#: Priority levels, lowest first: "at least medium" is medium or high.
PRIORITY_LEVEL = {name: level for level, name in enumerate(PRIORITIES)}
TO_DO: frozenset[Status] = frozenset({"unread", "reading"})


class ItemFilter(Struct, frozen=True):
    statuses: frozenset[Status] = frozenset()
    min_priority: Priority = "none"
    noted: bool = False
    tags: frozenset[str] = field(default_factory=frozenset)
    new: bool = False
    dead: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.statuses) - set(STATUSES)
        if unknown:
            raise ValueError(f"unknown status {', '.join(sorted(unknown))}")
        if self.min_priority not in PRIORITY_LEVEL:
            raise ValueError(f"unknown priority {self.min_priority!r}")

    @property
    def is_all(self) -> bool:
        return self == ItemFilter()

    def matches(self, state: ItemState | None, *, new: bool = False, dead: bool = False) -> bool:
        """Whether an item with ``state`` (None: untouched) passes every facet set."""
        status = state.status if state is not None else "unread"
        if self.statuses and status not in self.statuses:
            return False
        if self.min_priority != "none":
            priority = state.priority if state is not None else "none"
            if PRIORITY_LEVEL[priority] < PRIORITY_LEVEL[self.min_priority]:
                return False
        if self.noted and (state is None or not state.has_note):
            return False
        if self.tags and (state is None or not self.tags <= set(state.tags)):
            return False
        if self.new and not new:
            return False
        return not (self.dead and not dead)

    def describe(self) -> str:
        """The filter in words: ``unread or reading · priority ≥ medium · noted``."""
        if self.is_all:
            return "all"
        for name, preset in PRESETS:
            if preset == self:
                return name
        parts = []
        if self.statuses:
            parts.append(" or ".join(s for s in STATUSES if s in self.statuses))
        if self.min_priority != "none":
            parts.append(f"priority ≥ {self.min_priority}")
        if self.noted:
            parts.append("noted")
        parts.extend(f"#{tag}" for tag in sorted(self.tags))
        if self.new:
            parts.append("new")
        if self.dead:
            parts.append("dead links")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """For the resume point (JSON)."""
        return {"statuses": sorted(self.statuses), "min_priority": self.min_priority,
                "noted": self.noted, "tags": sorted(self.tags), "new": self.new,
                "dead": self.dead}

    @classmethod
    def from_dict(cls, data: object) -> ItemFilter | None:
        """A filter from ``to_dict``'s shape, or None if it is not one (never trusted)."""
        if not isinstance(data, dict):
            return None
        try:
            statuses = data.get("statuses", [])
            tags = data.get("tags", [])
            if not isinstance(statuses, list) or not isinstance(tags, list):
                return None
            if not all(isinstance(v, str) for v in [*statuses, *tags]):
                return None
            flags = {name: data.get(name, False) for name in ("noted", "new", "dead")}
            if not all(isinstance(v, bool) for v in flags.values()):
                return None
            priority = data.get("min_priority", "none")
            if not isinstance(priority, str):
                return None
            return cls(frozenset(as_status(s) for s in statuses), as_priority(priority),
                       flags["noted"], frozenset(tags),
                       flags["new"], flags["dead"])
        except ValueError:
            return None


#: What ``f`` cycles through, with the names the header shows.
PRESETS: tuple[tuple[str, ItemFilter], ...] = (
    ("all", ItemFilter()),
    ("to do", ItemFilter(statuses=TO_DO)),
    ("reading", ItemFilter(statuses=frozenset({"reading"}))),
    ("prioritised", ItemFilter(statuses=TO_DO, min_priority="low")),
    ("noted", ItemFilter(noted=True)),
    ("new", ItemFilter(new=True)),
    ("dead links", ItemFilter(dead=True)),
)
PRESET_NAMES = tuple(name for name, _ in PRESETS)
# Older names (the resume point and tests of the app's first filters).
_ALIASES = {"unread": "to do"}


def preset(name: str) -> ItemFilter:
    """The preset called ``name``; ``ValueError`` for an unknown one."""
    name = _ALIASES.get(name, name)
    for preset_name, found in PRESETS:
        if preset_name == name:
            return found
    raise ValueError(f"unknown filter {name!r}")


def next_preset(current: ItemFilter) -> ItemFilter:
    """The preset after ``current`` (after a custom filter: the first, all)."""
    filters = [found for _, found in PRESETS]
    if current not in filters:
        return filters[0]
    return filters[(filters.index(current) + 1) % len(filters)]
