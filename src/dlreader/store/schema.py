"""What a dlreader store file holds, how to check it, and how older ones are brought up to date.

Tables (TinyDB): ``meta`` (one record: schema version, app name, next journal number),
``items`` (one record per item the user touched, with ``item_id`` as a field),
``journal`` (undo steps, each with the ``list`` it was made in) and ``lists`` (the user's
library: one record per list opened, with the item ids the user has seen in it). Schema 0
is a plain TinyDB file from before the meta record: an ``items`` table whose records may
lack the newer fields. Schema 1 had no ``lists`` and no ``list`` on journal steps.
"""

from __future__ import annotations

from typing import Any

from dlreader.store.records import PRIORITIES, STATUSES
from dlreader.store.storage import StorageDamaged, Tables

# 1: the meta record and journal. 2: lists and the list of a journal step. 3: one arXiv
# paper is one item (its abstract page's id). 4: an item's tags and own title, a list's
# resume point.
SCHEMA_VERSION = 4
APP_NAME = "dlreader"

META = "meta"
ITEMS = "items"
JOURNAL = "journal"
LISTS = "lists"
TABLES = (META, ITEMS, JOURNAL, LISTS)

# A lists record: how the library names and opens a list, and what the user has seen in it.
LIST_FIELDS = frozenset({"key", "name", "source", "added", "opened", "known", "resume"})
LIST_FIELDS_2 = LIST_FIELDS - {"resume"}  # schemas 2 and 3

ITEM_DEFAULTS: dict[str, Any] = {
    "url": None,
    "title": "",
    "status": "unread",
    "priority": "none",
    "note": "",
    "created": "",
    "updated": "",
    "read_at": None,
    "tags": [],  # copied before use (ItemState.from_dict): never mutate this one
    "own_title": "",
}

# A current record holds exactly these (the store builds ItemState(**record) from it).
ITEM_FIELDS = frozenset({"item_id", *ITEM_DEFAULTS})


class SchemaTooNew(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(f"schema {version}")
        self.version = version


def new_meta() -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "app": APP_NAME, "next_seq": 1}


def meta_record(data: Tables) -> dict[str, Any] | None:
    records = list(data.get(META, {}).values())
    return records[0] if records else None


def schema_of(data: Tables) -> int:
    """The file's schema version; ``StorageDamaged`` if the file is not a dlreader store."""
    records = list(data.get(META, {}).values())
    if not records:
        unknown = sorted(set(data) - {ITEMS, JOURNAL, "_default"})
        if unknown:
            raise StorageDamaged(f"not a dlreader store (unknown tables {', '.join(unknown)})")
        return 0
    if len(records) > 1:
        raise StorageDamaged("not a dlreader store (more than one meta record)")
    meta = records[0]
    if meta.get("app") != APP_NAME:
        raise StorageDamaged(f"not a dlreader store (meta app is {meta.get('app')!r})")
    version = meta.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StorageDamaged(f"not a dlreader store (schema {version!r})")
    return version


def check_store(data: Tables) -> int:
    """Check a parsed store file; return its schema version.

    Raises ``SchemaTooNew`` for a store from a newer dlreader (its layout is not ours to
    judge) and ``StorageDamaged`` naming the first record that is not what it should be.
    """
    version = schema_of(data)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(version)
    if version >= 1:
        meta = meta_record(data)
        assert meta is not None
        if not _is_int(meta.get("next_seq")):
            raise StorageDamaged("meta record has no valid next_seq")
    seen: set[str] = set()
    for doc_id, record in data.get(ITEMS, {}).items():
        # Before schema 4 a record has no tags or own title: checked as the migration
        # will make it.
        checked = record if version >= 4 or not isinstance(record, dict) else {
            **TAG_DEFAULTS, **record}
        item_id = _check_item(checked, doc_id, complete=version >= 1)
        if item_id in seen:
            raise StorageDamaged(f"item {item_id!r} has two records")
        seen.add(item_id)
    for doc_id, step in data.get(JOURNAL, {}).items():
        _check_step(step, doc_id, before_tags=version < 4)
    if version >= 2:
        _check_lists(data.get(LISTS, {}), LIST_FIELDS if version >= 4 else LIST_FIELDS_2)
    return version


def _check_lists(records: dict[str, Any], fields: frozenset[str]) -> None:
    keys: set[str] = set()
    for doc_id, record in records.items():
        where = f"lists record {doc_id}"
        if not isinstance(record, dict) or record.keys() != fields:
            raise StorageDamaged(f"{where} does not hold {', '.join(sorted(fields))}")
        if not all(_is_text(record[name]) for name in ("key", "name", "source", "added",
                                                       "opened")) or not record["key"]:
            raise StorageDamaged(f"{where} has a key, name, source or time that is not text")
        if not _is_text_list(record["known"]):
            raise StorageDamaged(f"{where} has known item ids that are not a list of text")
        if "resume" in fields and not isinstance(record["resume"], dict):
            raise StorageDamaged(f"{where} has a resume point that is not an object")
        if record["key"] in keys:
            raise StorageDamaged(f"list {record['key']!r} has two records")
        keys.add(record["key"])


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return type(value) is str


def _is_text_list(value: object) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _is_text_or_none(value: object) -> bool:
    return value is None or type(value) is str


def _check_item(record: dict[str, Any], doc_id: str, *, complete: bool) -> str:
    # The fast path: a 60k-record store is checked on every load.
    if (
        complete
        and record.keys() == ITEM_FIELDS
        and _is_text(record["item_id"])
        and record["item_id"]
        and record["status"] in STATUSES
        and record["priority"] in PRIORITIES
        and _is_text(record["title"])
        and _is_text(record["note"])
        and _is_text(record["created"])
        and _is_text(record["updated"])
        and _is_text_or_none(record["url"])
        and _is_text_or_none(record["read_at"])
        and _is_text(record["own_title"])
        and _is_text_list(record["tags"])
    ):
        return str(record["item_id"])
    where = f"items record {doc_id}"
    item_id = record.get("item_id", record.get("id") if not complete else None)
    if not isinstance(item_id, str) or not item_id:
        raise StorageDamaged(f"{where} has no item_id")
    problems = []
    if complete:
        unknown = sorted(set(record) - ITEM_FIELDS)
        if unknown:
            problems.append(f"unknown fields {', '.join(unknown)}")
    for name, default in ITEM_DEFAULTS.items():
        if name not in record:
            if complete:
                problems.append(f"no {name}")
            continue
        value = record[name]
        if name == "status" and value not in STATUSES:
            problems.append(f"status {value!r}")
        elif name == "priority" and value not in PRIORITIES:
            problems.append(f"priority {value!r}")
        elif name in ("url", "read_at"):
            if value is not None and not isinstance(value, str):
                problems.append(f"{name} {value!r}")
        elif name == "tags":
            if not _is_text_list(value):
                problems.append("tags that are not a list of text")
        elif name != "status" and name != "priority" and not isinstance(value, type(default)):
            problems.append(f"{name} {value!r}")
    if problems:
        raise StorageDamaged(f"{where} ({item_id}) has {', '.join(problems)}")
    return item_id


# Fields a record of a schema-3 (or older) store lacks (a whole record in its journal is checked
# with them filled in, as the migration will).
TAG_DEFAULTS: dict[str, Any] = {"tags": [], "own_title": ""}


def _check_step(step: dict[str, Any], doc_id: str, *, before_tags: bool = False) -> None:
    where = f"journal record {doc_id}"
    if not _is_int(step.get("seq")) or not isinstance(step.get("undone"), bool):
        raise StorageDamaged(f"{where} has no valid seq/undone")
    if not _is_text_or_none(step.get("list")):
        raise StorageDamaged(f"{where} has a list that is not text")
    for name in ("time", "label"):  # undo prints them: checked before anything is applied
        if not _is_text(step.get(name, "")):
            raise StorageDamaged(f"{where} has a {name} that is not text")
    before, after = step.get("before"), step.get("after")
    for side, records in (("before", before), ("after", after)):
        if not isinstance(records, dict):
            raise StorageDamaged(f"{where} has no {side}")
    assert isinstance(before, dict) and isinstance(after, dict)
    if before.keys() != after.keys():
        raise StorageDamaged(f"{where} changes different items before and after")
    for item_id in before:
        old, new = before[item_id], after[item_id]
        for side, record, other in (("before", old, new), ("after", new, old)):
            if record is None:
                continue
            if not isinstance(record, dict):
                raise StorageDamaged(f"{where} has a malformed {side} record {item_id!r}")
            # A side holds the changed fields, or the whole record where the item was
            # created or removed (the other side is None).
            if before_tags and other is None:
                record = {**TAG_DEFAULTS, **record}
            _check_changes(record, doc_id, where, complete=other is None)


def _check_changes(record: dict[str, Any], doc_id: str, where: str, *, complete: bool) -> None:
    if complete:
        _check_item(record, doc_id, complete=True)
        return
    unknown = sorted(set(record) - ITEM_FIELDS)
    if unknown or not _is_text(record.get("item_id")) or not record["item_id"]:
        raise StorageDamaged(f"{where} has a malformed change record")
    _check_item({**ITEM_DEFAULTS, **record}, doc_id, complete=True)


def migrate(data: Tables, version: int) -> None:
    """Bring ``data`` (checked, schema ``version``) up to ``SCHEMA_VERSION`` in place."""
    if version == 0:
        items = {}
        for doc_id, record in data.get(ITEMS, {}).items():
            upgraded = {"item_id": record.get("item_id", record.get("id"))}
            upgraded.update(ITEM_DEFAULTS)
            upgraded.update(
                {name: value for name, value in record.items() if name in ITEM_DEFAULTS}
            )
            if upgraded["status"] != "read":
                upgraded["read_at"] = None
            items[doc_id] = upgraded
        data[ITEMS] = items
        data[JOURNAL] = {}
        data[META] = {"1": {"schema": 1, "app": APP_NAME, "next_seq": 1}}
        version = 1
    if version == 1:
        # Steps from before lists were told apart belong to no list (list None): a list's
        # undo takes one back only when all its items are items that list has had.
        for step in data.get(JOURNAL, {}).values():
            step.setdefault("list", None)
        data[LISTS] = {}
        for meta in data[META].values():
            meta["schema"] = 2
        version = 2
    if version == 2:
        _one_item_per_arxiv_paper(data)
        for meta in data[META].values():
            meta["schema"] = 3
        version = 3
    if version == 3:
        _add_tags_titles_resume(data)
        version = 4
    assert version == SCHEMA_VERSION


def paper_item_id(item_id: object, url: object) -> tuple[str, str] | None:
    """(new id, new url) for a record whose item is an arXiv paper's PDF or version page:
    the paper's abstract page is the item now. None when the record keeps its id."""
    from dlreader.catalog.urls import identity_url, item_id_for_url, normalize_url

    normalized = normalize_url(url) if isinstance(url, str) else None
    if normalized is None:
        return None
    identity = identity_url(normalized)
    if identity == normalized or item_id != item_id_for_url(normalized):
        return None
    return item_id_for_url(identity), identity


def _new_item_id(record: dict[str, Any]) -> tuple[str, str] | None:
    return paper_item_id(record.get("item_id"), record.get("url"))


def merge_states(kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """One record from two of the same paper, losing nothing a user set: each of status
    and priority from the newer record that set it (not the default), both notes (older
    first) when they differ, the earliest creation and the latest update."""
    older, newer = sorted((kept, other), key=lambda record: record["updated"])
    merged = dict(newer)
    status_from = newer if newer["status"] != "unread" else older
    merged["status"], merged["read_at"] = status_from["status"], status_from["read_at"]
    merged["priority"] = newer["priority"] if newer["priority"] != "none" else older["priority"]
    notes = [note for note in (older["note"], newer["note"]) if note.strip()]
    merged["note"] = "\n\n".join(dict.fromkeys(notes))
    created = [value for value in (kept["created"], other["created"]) if value]
    merged["created"] = min(created) if created else ""
    if merged["status"] != "read":
        merged["read_at"] = None
    return merged


def _one_item_per_arxiv_paper(data: Tables) -> None:
    """Schema 2 -> 3: an arXiv paper listed by its PDF (or a version) had an item of its
    own; its state moves to the paper's id, merged with the abstract page's if both exist.
    Journal steps are renamed the same way on both sides (a step may hold only the fields
    it changed, without the URL: the id's new name comes from any record that has it)."""
    items = data.get(ITEMS, {})
    journal_records = [record for step in data.get(JOURNAL, {}).values()
                       for side in ("before", "after")
                       for record in (step.get(side) or {}).values() if record is not None]
    renames: dict[str, tuple[str, str]] = {}
    for record in [*items.values(), *journal_records]:
        moved = _new_item_id(record)
        if moved is not None:
            renames[record["item_id"]] = moved
    if not renames:
        return
    by_id = {record["item_id"]: doc_id for doc_id, record in items.items()}
    for doc_id in list(items):
        record = items[doc_id]
        if record["item_id"] not in renames:
            continue
        new_id, new_url = renames[record["item_id"]]
        by_id.pop(record["item_id"], None)
        record = dict(record, item_id=new_id, url=new_url)
        existing = by_id.get(new_id)
        if existing is not None and existing != doc_id and existing in items:
            items[existing] = merge_states(items[existing], record)
            del items[doc_id]
        else:
            items[doc_id] = record
            by_id[new_id] = doc_id
    for step in data.get(JOURNAL, {}).values():
        for side in ("before", "after"):
            renamed: dict[str, Any] = {}
            for item_id, record in (step.get(side) or {}).items():
                moved = renames.get(item_id)
                new_id = moved[0] if moved else item_id
                if record is not None and moved is not None:
                    record = dict(record)
                    if "item_id" in record:
                        record["item_id"] = new_id
                    if "url" in record:
                        record["url"] = moved[1]
                renamed.setdefault(new_id, record)
            step[side] = renamed
    for listed in data.get(LISTS, {}).values():  # seen in a list: seen under the new id
        listed["known"] = list(dict.fromkeys(
            renames[item_id][0] if item_id in renames else item_id
            for item_id in listed.get("known", [])))


def _add_tags_titles_resume(data: Tables) -> None:
    """Schema 3 -> 4: every record gains empty tags and own title (a journal step's whole
    records too), every list an empty resume point."""
    for record in data.get(ITEMS, {}).values():
        record.setdefault("tags", [])
        record.setdefault("own_title", "")
    for step in data.get(JOURNAL, {}).values():
        before, after = step.get("before") or {}, step.get("after") or {}
        for item_id in before:
            for side, other in ((before, after), (after, before)):
                record = side.get(item_id)
                if isinstance(record, dict) and other.get(item_id) is None:
                    record.setdefault("tags", [])
                    record.setdefault("own_title", "")
    for record in data.get(LISTS, {}).values():
        record.setdefault("resume", {})
    for meta in data[META].values():
        meta["schema"] = 4
