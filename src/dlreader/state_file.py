"""The state export file: a user's whole store as JSON, to move it or keep it.

    {
      "format": "dlreader-state",
      "schema": 1,
      "user": "alice",
      "records": [ {every ItemState field}, ... ]   (sorted by item id)
    }

``parse_state`` trusts nothing: a file that is not ours, from a newer schema, or with one
malformed record is refused as a whole (``UsageError``, exit 2) before anything is imported.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from dlreader.errors import UsageError
from dlreader.store.records import PRIORITIES, STATUSES, ItemState
from dlreader.textsafe import json_text, store_text_problem, unix_newlines

FORMAT = "dlreader-state"
SCHEMA_VERSION = 1

_FIELDS: tuple[str, ...] = ItemState.__struct_fields__
# Fields that may be null; every other one is a string (but tags, a list of strings).
_NULLABLE = frozenset({"url", "read_at"})
# Fields an export from before tags and own titles lacks.
_OPTIONAL = frozenset({"tags", "own_title"})
_TIMES = ("created", "updated", "read_at")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # the store's (dlreader.store.journal.utc_now)


def dump_state(user: str, states: Mapping[str, ItemState] | Iterable[ItemState]) -> str:
    """The JSON text for ``states`` (a store's ``states()`` or any records), one byte
    sequence per content: records sorted by item id, keys in field order, UTF-8 kept."""
    records = states.values() if isinstance(states, Mapping) else states
    document = {
        "format": FORMAT,
        "schema": SCHEMA_VERSION,
        "user": user,
        "records": [
            r.to_dict() for r in sorted(records, key=lambda r: r.item_id)
        ],
    }
    return json_text(document) + "\n"


def parse_state(text: str) -> list[ItemState]:
    """The records of a state export, all checked; raises ``UsageError`` saying what is wrong."""
    try:
        document = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError) as error:  # ValueError: also a 5,000-digit number
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise UsageError(f"not a dlreader state export (not JSON: {reason})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UsageError(f'not a dlreader state export (no "format": "{FORMAT}")')
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise UsageError(f"bad state export: schema must be a positive integer, not {schema!r}")
    if schema > SCHEMA_VERSION:
        raise UsageError(
            f"the state export has schema {schema}, newer than this dlreader reads "
            f"({SCHEMA_VERSION}): upgrade dlreader to import it"
        )
    if not isinstance(document.get("user"), str):
        raise UsageError('bad state export: "user" must be a string')
    raw_records = document.get("records")
    if not isinstance(raw_records, list):
        raise UsageError('bad state export: "records" must be a list')

    records: list[ItemState] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_records, start=1):
        record = _parse_record(raw, number)
        if record.item_id in seen:
            raise UsageError(f"bad state export: record {number}: item {record.item_id!r} "
                             "appears twice")
        seen.add(record.item_id)
        records.append(record)
    return one_record_per_paper(records)


def one_record_per_paper(records: list[ItemState]) -> list[ItemState]:
    """An export from before one arXiv paper was one item: its PDF's record moves to the
    paper's id, merged with the abstract page's (as the store's schema 2 migration does)."""
    from dlreader.store.schema import merge_states, paper_item_id

    if not any(paper_item_id(r.item_id, r.url) for r in records):
        return records
    merged: dict[str, dict[str, Any]] = {}
    for record in records:
        fields = record.to_dict()
        moved = paper_item_id(record.item_id, record.url)
        if moved is not None:
            fields["item_id"], fields["url"] = moved
        known = merged.get(fields["item_id"])
        merged[fields["item_id"]] = fields if known is None else merge_states(known, fields)
    return [ItemState(**fields) for fields in merged.values()]


def _parse_record(raw: Any, number: int) -> ItemState:
    def bad(problem: str) -> UsageError:
        return UsageError(f"bad state export: record {number}: {problem}")

    if not isinstance(raw, dict):
        raise bad("not an object")
    missing = [name for name in _FIELDS if name not in raw and name not in _OPTIONAL]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise bad(f"unknown field {', '.join(map(repr, unknown))}")
    for name in _FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if value is None and name in _NULLABLE:
            continue
        if name == "tags":
            if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
                raise bad("tags must be a list of strings")
            for tag in value:
                if (problem := store_text_problem(tag)) is not None:
                    raise bad(f"tag {problem}")
            continue
        if not isinstance(value, str):
            raise bad(f"{name} must be a string, not {type(value).__name__}")
    if not raw["item_id"]:
        raise bad("empty item_id")
    values = dict(raw)
    # The store's line endings, then the store's text rule (docs/CONTRACTS.md).
    values["note"] = unix_newlines(values["note"])
    for name in ("item_id", "url", "title", "note", "own_title"):
        if name not in values:
            continue
        problem = None if values[name] is None else store_text_problem(values[name])
        if problem is not None:
            raise bad(f"{name} {problem}")
    if raw["status"] not in STATUSES:
        raise bad(f"status {raw['status']!r} is not one of {', '.join(STATUSES)}")
    if raw["priority"] not in PRIORITIES:
        raise bad(f"priority {raw['priority']!r} is not one of {', '.join(PRIORITIES)}")
    for name in _TIMES:
        if values[name]:
            canonical = _canonical_time(values[name])
            if canonical is None:
                raise bad(f"{name} {values[name]!r} is not an ISO 8601 time")
            values[name] = canonical
    return ItemState.from_dict(values)


def _canonical_time(value: str) -> str | None:
    """The time as the store writes it (UTC, to the second, ``Z``), or None if not a time.

    The store's merge compares ``updated`` as text, which is only right when every time
    has this one form; what dlreader wrote is already in it and comes back unchanged.
    A time without an offset is taken as UTC.
    """
    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(_dt.UTC).strftime(TIME_FORMAT)
