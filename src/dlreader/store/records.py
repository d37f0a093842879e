"""The records a store holds, and the changes made to them."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Literal

from msgspec import Struct, field

Status = Literal["unread", "reading", "read", "skipped"]
Priority = Literal["none", "low", "medium", "high"]
STATUSES: tuple[Status, ...] = ("unread", "reading", "read", "skipped")
PRIORITIES: tuple[Priority, ...] = ("none", "low", "medium", "high")


def as_status(text: str) -> Status:
    """``text`` as a status; ``ValueError`` when it is none of STATUSES."""
    for status in STATUSES:
        if text == status:
            return status
    raise ValueError(f"unknown status {text!r}")


def as_priority(text: str) -> Priority:
    """``text`` as a priority; ``ValueError`` when it is none of PRIORITIES."""
    for priority in PRIORITIES:
        if text == priority:
            return priority
    raise ValueError(f"unknown priority {text!r}")


class ItemState(Struct):
    """What the user set on one item. Untouched items have no record (they are unread).

    ``url`` and ``title`` are the item's at the time of the last change, so the state
    outlives the item's removal from the list. Times are ISO 8601 UTC strings.
    """

    item_id: str
    url: str | None
    title: str
    status: Status = "unread"
    priority: Priority = "none"
    note: str = ""
    created: str = ""
    updated: str = ""
    read_at: str | None = None
    #: The user's free tags (dlreader.tags cleans them), in the order they were added.
    tags: list[str] = field(default_factory=list)
    #: The user's own title for the item; "" shows the list's title.
    own_title: str = ""

    def to_dict(self) -> dict[str, Any]:
        # A list of its own: the dict is kept by the store, the record by the reading state.
        return {name: getattr(self, name) for name in self.__struct_fields__} | {
            "tags": list(self.tags)}

    @property
    def has_note(self) -> bool:
        """A note with something in it (whitespace alone is no note)."""
        return bool(self.note.strip())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemState:
        values = {name: data[name] for name in cls.__struct_fields__ if name in data}
        if "tags" in values:
            values["tags"] = list(values["tags"])  # never share a list with the caller
        return cls(**values)

    def shown_title(self, list_title: str) -> str:
        """What the item is called: the user's own title, else the list's."""
        return self.own_title or list_title


class ItemUpdate(Struct):
    """One requested change: fields left None are kept as they are."""

    item_id: str
    url: str | None
    title: str
    status: Status | None = None
    priority: Priority | None = None
    note: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    own_title: str | None = None


def apply_choices(state: ItemState, update: ItemUpdate) -> bool:
    """Set on ``state`` (in place) what the user chose in ``update``: status, priority,
    note, own title, tags. Whether the update asked for any of them. One copy for the
    store and the app's reading state, so both show the same thing."""
    asked = False
    for name in ("status", "priority", "note", "own_title"):
        value = getattr(update, name)
        if value is not None:
            setattr(state, name, value)
            asked = True
    if update.add_tags or update.remove_tags:
        removed = set(update.remove_tags)
        state.tags = [tag for tag in dict.fromkeys([*state.tags, *update.add_tags])
                      if tag not in removed]
        asked = True
    return asked


# One side of a step for one item: the fields the step changed (and ``item_id``), or None
# when the item had no record on that side.
FieldChanges = dict[str, Any]


class Step(Struct):
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


class ListRecord(Struct):
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
    #: Where the user left the list (dlreader.resume): topic, item, scope, filter, sort,
    #: focused pane. Checked when it is used, never trusted.
    resume: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__struct_fields__} | {
            "known": list(self.known), "resume": deepcopy(self.resume)}
