"""A user's library of lists: which records belong to a list, and what is new in it.

Pure core. A list's record (``ListRecord``) holds the item ids the user has seen in it;
everything here is computed from that and the parsed list.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dlreader.catalog.model import Catalog
from dlreader.errors import CatalogError, UsageError
from dlreader.progress import count_done
from dlreader.store.records import ItemState, ListRecord
from dlreader.textsafe import plural


def states_of_list(
    states: Mapping[str, ItemState], catalog: Catalog, record: ListRecord | None
) -> dict[str, ItemState]:
    """The records of the list's items, and of items the list once had (its orphans)."""
    known = set(record.known) if record is not None else set()
    return {
        item_id: state for item_id, state in states.items()
        if item_id in catalog.items or item_id in known
    }


def new_item_ids(catalog: Catalog, record: ListRecord | None) -> list[str]:
    """The list's items the user has not seen in it yet, in list order."""
    if record is None:
        return []
    known = set(record.known)
    return [item_id for item_id in catalog.items if item_id not in known]


def describe_changes(before: Catalog, after: Catalog) -> str:
    """What a new version of a list changed, in words: "3 new items, 1 removed"."""
    added = sum(1 for item_id in after.items if item_id not in before.items)
    removed = sum(1 for item_id in before.items if item_id not in after.items)
    if not added and not removed:
        return "the same items"
    parts = []
    if added:
        parts.append(f"{plural(added, 'new item')}")
    if removed:
        parts.append(f"{removed} no longer in the list")
    return ", ".join(parts)


def kept_catalog(data_dir: Path, source: str) -> Catalog | None:
    """The list ``source`` names as it is on this machine now (a remote list's kept
    copy), never downloading; None when it is not here or cannot be read."""
    from dlreader import locations
    from dlreader.catalog.loader import load_catalog
    from dlreader.sources.kept import copy_path
    from dlreader.sources.spec import is_remote, remote_spec

    base_url = None
    if not source:
        path = locations.default_list_path()
    elif is_remote(source):
        try:
            spec = remote_spec(source)
        except UsageError:
            return None
        path, base_url = copy_path(data_dir, spec.key), spec.base_url
    else:
        path = Path(source)
    try:
        return load_catalog(path, base_url=base_url)
    except CatalogError:
        return None


def list_progress(
    catalog: Catalog, states: Mapping[str, ItemState], record: ListRecord
) -> tuple[int, int, int]:
    """(items, done, new) of a list of the library (done: read or skipped)."""
    mine = states_of_list(states, catalog, record)
    done = count_done(catalog.items, mine)
    return len(catalog.items), done, len(new_item_ids(catalog, record))
