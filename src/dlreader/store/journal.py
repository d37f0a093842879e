"""Undo steps as stored in the ``journal`` table, and the clock they are stamped with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dlreader.store.records import ItemState, Step

# At least 100 steps must survive; twice that costs little (steps are small).
JOURNAL_LIMIT = 200


def utc_now() -> str:
    """ISO 8601 UTC to the second, e.g. ``2026-11-26T17:40:01Z`` (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _side_to_doc(records: dict[str, ItemState | None]) -> dict[str, Any]:
    return {
        item_id: None if state is None else state.to_dict() for item_id, state in records.items()
    }


def _side_from_doc(records: dict[str, Any]) -> dict[str, ItemState | None]:
    return {
        item_id: None if data is None else ItemState.from_dict(data)
        for item_id, data in records.items()
    }


def step_to_doc(step: Step, *, undone: bool = False) -> dict[str, Any]:
    return {
        "seq": step.seq,
        "time": step.time,
        "label": step.label,
        "undone": undone,
        "before": _side_to_doc(step.before),
        "after": _side_to_doc(step.after),
        "list": step.list_key,
    }


def step_from_doc(doc: dict[str, Any]) -> Step:
    return Step(
        seq=doc["seq"],
        time=doc.get("time", ""),
        label=doc.get("label", ""),
        before=_side_from_doc(doc["before"]),
        after=_side_from_doc(doc["after"]),
        list_key=doc.get("list"),
    )
