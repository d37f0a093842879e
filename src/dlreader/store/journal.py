"""Undo steps as stored in the ``journal`` table, and the clock they are stamped with.

A step keeps, per item, only the fields it changed (old values in ``before``, new ones in
``after``), the whole record only where the item was created or removed. The journal is
bounded by steps and by bytes: a few huge notes cannot make every write of the store
carry gigabytes of history.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from dlreader.store.records import FieldChanges, ItemState, Step

# The journal table as TinyDB holds it: document id (text) -> step document.
JournalTable = dict[str, dict[str, Any]]

# At least 100 steps must survive when they are small; twice that costs little.
JOURNAL_LIMIT = 200
# ... and all of them together at most this (the newest step is always kept).
JOURNAL_BYTES = 16 << 20


def utc_now() -> str:
    """ISO 8601 UTC to the second, e.g. ``2026-11-26T17:40:01Z`` (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def field_changes(
    old: ItemState | None, new: ItemState | None
) -> tuple[FieldChanges | None, FieldChanges | None]:
    """``before`` and ``after`` of one item: the changed fields, or a whole record."""
    if old is None or new is None:
        return (None if old is None else old.to_dict()), (None if new is None else new.to_dict())
    before, after = old.to_dict(), new.to_dict()
    changed = [name for name in before if before[name] != after[name]]
    return ({"item_id": old.item_id, **{name: before[name] for name in changed}},
            {"item_id": new.item_id, **{name: after[name] for name in changed}})


def holds_changes(current: ItemState | None, changes: FieldChanges | None) -> bool:
    """Whether ``current`` is as one side of a step left it (its changed fields agree)."""
    if changes is None or current is None:
        return changes is None and current is None
    record = current.to_dict()
    return all(record.get(name) == value for name, value in changes.items())


def apply_changes(current: ItemState | None, item_id: str,
                  changes: FieldChanges | None) -> ItemState | None:
    """The record after putting ``changes`` (one side of a step) over ``current``."""
    if changes is None:
        return None
    from dlreader.store.schema import ITEM_DEFAULTS

    base = current.to_dict() if current is not None else dict(ITEM_DEFAULTS)
    return ItemState.from_dict({**base, **changes, "item_id": item_id})


def step_to_doc(step: Step, *, undone: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "seq": step.seq,
        "time": step.time,
        "label": step.label,
        "undone": undone,
        "before": step.before,
        "after": step.after,
        "list": step.list_key,
    }
    doc["size"] = doc_size(doc)
    return doc


def doc_size(doc: dict[str, Any]) -> int:
    """About how many bytes the step takes in the store file (an upper bound)."""
    size = doc.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        return size
    return len(json.dumps({k: v for k, v in doc.items() if k != "size"}))


def step_from_doc(doc: dict[str, Any]) -> Step:
    return Step(
        seq=doc["seq"],
        time=doc.get("time", ""),
        label=doc.get("label", ""),
        before=dict(doc["before"]),
        after=dict(doc["after"]),
        list_key=doc.get("list"),
    )


def ended_redos(table: JournalTable, changed: Collection[str], list_key: str | None) -> list[int]:
    """The undone steps a new change ends: its own list's (a new change ends redo), and any
    that touch the same items (redoing one would overwrite this change)."""
    changed = set(changed)
    return [
        int(doc_id) for doc_id, doc in table.items()
        if doc["undone"] and (list_key is None or doc.get("list") == list_key
                              or not changed.isdisjoint(doc["after"]))
    ]


def over_bounds(table: JournalTable) -> list[int]:
    """The oldest steps past ``JOURNAL_LIMIT`` steps or ``JOURNAL_BYTES`` (newest kept)."""
    newest_first = sorted(table.items(), key=lambda pair: pair[1]["seq"], reverse=True)
    kept_bytes = 0
    drop = []
    for position, (doc_id, doc) in enumerate(newest_first):
        kept_bytes += doc_size(doc)
        if position and (position >= JOURNAL_LIMIT or kept_bytes > JOURNAL_BYTES):
            drop.append(int(doc_id))
    return drop


def pick_step(
    table: JournalTable, *, undone: bool, newest: bool, list_key: str | None,
    known: set[str] | None,
) -> tuple[int, dict[str, Any]] | None:
    """The step undo (newest not undone) or redo (oldest undone) takes, of ``list_key``'s
    list when given (``known``: the ids seen in that list)."""

    def in_list(doc: dict[str, Any]) -> bool:
        if known is None or doc.get("list") == list_key:
            return True
        # A step from before lists were told apart belongs to a list that has had all
        # of its items.
        return doc.get("list") is None and known.issuperset(doc["after"])

    candidates = [
        (doc["seq"], int(doc_id), doc)
        for doc_id, doc in table.items()
        if doc["undone"] is undone and in_list(doc)
    ]
    if not candidates:
        return None
    pick = max if newest else min
    _seq, doc_id, doc = pick(candidates, key=lambda candidate: candidate[0])
    return doc_id, doc
