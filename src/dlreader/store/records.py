"""The records a store holds, and the changes made to them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES: tuple[str, ...] = ("unread", "reading", "read", "skipped")
PRIORITIES: tuple[str, ...] = ("none", "low", "medium", "high")


@dataclass(slots=True)
class ItemState:
    """What the user set on one item. Untouched items have no record (they are unread).

    ``url`` and ``title`` are the item's at the time of the last change, so the state
    outlives the item's removal from the list. Times are ISO 8601 UTC strings.
    """

    item_id: str
    url: str | None
    title: str
    status: str = "unread"
    priority: str = "none"
    note: str = ""
    created: str = ""
    updated: str = ""
    read_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def has_note(self) -> bool:
        """A note with something in it (whitespace alone is no note)."""
        return bool(self.note.strip())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemState:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


@dataclass(slots=True)
class ItemUpdate:
    """One requested change: fields left None are kept as they are."""

    item_id: str
    url: str | None
    title: str
    status: str | None = None
    priority: str | None = None
    note: str | None = None


# One side of a step for one item: the fields the step changed (and ``item_id``), or None
# when the item had no record on that side.
FieldChanges = dict[str, Any]


@dataclass(slots=True)
class Step:
    """One journal entry: what a change replaced (``before``) and what it wrote (``after``).

    Only the fields a step changed are kept, so a priority change on an item with a 10 MB
    note costs bytes, not two copies of the note. ``before[id]`` is None when the item had
    no record before the change (``after[id]`` then holds the whole record), ``after[id]``
    None when the change removed it (``before[id]`` holds the whole record).
    """

    seq: int
    time: str
    label: str
    before: dict[str, FieldChanges | None] = field(default_factory=dict)
    after: dict[str, FieldChanges | None] = field(default_factory=dict)
    #: The list the change was made in (its library key); None for steps from before
    #: lists were told apart.
    list_key: str | None = None


@dataclass(slots=True)
class ListRecord:
    """One list of the user's library.

    ``known`` holds the item ids the user has seen in this list: items the list has now
    and ``known`` lacks are new; touched items in ``known`` the list no longer has are its
    orphans ("no longer in the list").
    """

    key: str  # "bundled", an absolute path, a URL or github:owner/repo
    name: str  # the short name `--source NAME` opens it by
    source: str  # what opens it again ("" for the bundled list)
    added: str = ""
    opened: str = ""  # when the app last opened it
    known: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
