"""What a change does to the records, worked out before anything is written: pure
functions over the records the store holds (``stored(item_id)``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Literal

from msgspec import Struct
from msgspec.structs import replace

from dlreader.errors import UsageError
from dlreader.store.records import PRIORITIES, STATUSES, ItemState, ItemUpdate, apply_choices
from dlreader.textsafe import clean_store_text, store_text_problem

Records = dict[str, ItemState | None]


class ImportOutcome(Struct, frozen=True):
    changed: int  # records of the import that were added or replaced existing ones
    removed: int  # records ``replace`` removed because the import does not have them

    @property
    def total(self) -> int:
        return self.changed + self.removed


# -- the store -----------------------------------------------------------------------------


def _copy(state: ItemState | None) -> ItemState | None:
    return None if state is None else replace(state)


def _choice(state: ItemState) -> tuple[object, ...]:
    return state.status, state.priority, state.note, state.tags, state.own_title


def _same_choice(old: ItemState, new: ItemState) -> bool:
    return _choice(old) == _choice(new)


def check_update(update: ItemUpdate) -> None:
    """The store's own guard of the text rule (docs/CONTRACTS.md, "Text safety"); callers
    check first with a message of their own."""
    if not update.item_id:
        raise UsageError("an update has no item id")
    for name, value in (("item_id", update.item_id), ("note", update.note),
                        ("own_title", update.own_title),
                        *(("tag", tag) for tag in (*update.add_tags, *update.remove_tags))):
        problem = None if value is None else store_text_problem(value)
        if problem is not None:
            raise UsageError(f"the {name.replace('_', ' ')} {problem}; nothing was changed")
    if update.status is not None and update.status not in STATUSES:
        raise UsageError(f"unknown status {update.status!r} (one of {', '.join(STATUSES)})")
    if update.priority is not None and update.priority not in PRIORITIES:
        raise UsageError(
            f"unknown priority {update.priority!r} (one of {', '.join(PRIORITIES)})"
        )


def changed_records(
    updates: Sequence[ItemUpdate], now: str, stored: Callable[[str], ItemState | None]
) -> tuple[Records, Records]:
    """What the updates replace and what they write, for the records they change
    (``stored(item_id)``: the record as the store holds it)."""
    working: dict[str, ItemState] = {}
    touched: dict[str, bool] = {}
    for update in updates:
        current = working.get(update.item_id) or stored(update.item_id)
        if current is None:
            state = ItemState(update.item_id, update.url, update.title, created=now)
        else:
            state = replace(current)
        # The item's URL and title at the time: state outlives the item in the list.
        if update.url is not None:
            state.url = update.url
        if update.title:  # from the list: made fit for the store, never refused
            state.title = clean_store_text(update.title)
        if apply_choices(state, update):
            touched[update.item_id] = True
        working[update.item_id] = state
    before: Records = {}
    after: Records = {}
    for item_id, state in working.items():
        old = stored(item_id)
        if old is None and not touched.get(item_id):
            continue
        if old is not None and _same_choice(old, state):
            continue
        state.updated = now
        if state.status != "read":
            state.read_at = None
        elif old is None or old.status != "read":
            state.read_at = now
        before[item_id] = _copy(old)
        after[item_id] = state
    return before, after


def imported_records(
    records: Sequence[ItemState], mode: Literal["merge", "replace"],
    stored: Callable[[str], ItemState | None], held: Collection[str],
) -> tuple[Records, ImportOutcome]:
    """What an import writes (None removes) and its counts; ``held``: the ids in the store."""
    incoming = {record.item_id: replace(record) for record in records}
    after: Records = {}
    for item_id, record in incoming.items():
        now = stored(item_id)
        wins = (
            now is None
            or (mode == "replace" and now != record)
            or (mode == "merge" and record.updated > now.updated)
        )
        if wins:
            after[item_id] = record
    gone = [item_id for item_id in held if item_id not in incoming] if mode == "replace" else []
    after.update(dict.fromkeys(gone))
    return after, ImportOutcome(changed=len(after) - len(gone), removed=len(gone))


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` ... when another list has it."""
    candidate, serial = name, 1
    while candidate in taken:
        serial += 1
        candidate = f"{name}-{serial}"
    return candidate
