"""The parsed-catalog cache: a pickle per list content, under the user cache dir.

Keyed by the sha256 of the file's bytes and PARSER_VERSION, so an edited list or a new
parser simply misses. The cache is only an optimisation: any problem reading it means
"no cache" (and a re-parse); a failure to write it is ignored. Catalogs are stored as
plain tuples, which load several times faster than pickled dataclasses.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from dlreader import locations
from dlreader.catalog.model import Catalog, Item, Passage, Topic

# Bump whenever the parser's output for the same input changes.
PARSER_VERSION = 3
_FORMAT = "dlreader-catalog"


def content_key(data: bytes, base_url: str | None = None) -> str:
    """The key of a list's bytes; the same text parses differently against another base
    URL (its relative links resolve to it), so the base is part of the key."""
    if base_url is not None:
        data = data + b"\0" + base_url.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def cache_path(key: str) -> Path:
    return locations.cache_dir() / "catalogs" / f"{key[:32]}-v{PARSER_VERSION}.pickle"


def _pack(catalog: Catalog) -> tuple[Any, ...]:
    topics = [
        (t.id, t.title, t.level, t.parent, t.line, t.items, t.children,
         [(p.kind, p.text, p.url, p.line) for p in t.passages])
        for t in catalog.topics
    ]
    items = [(i.id, i.url, i.title, i.titles, i.topics, i.line) for i in catalog.items.values()]
    return (_FORMAT, PARSER_VERSION, catalog.source, catalog.name, topics, items,
            catalog.warnings)


def _unpack(packed: Any) -> Catalog:
    form, version, source, name, topics, items, warnings = packed
    if form != _FORMAT or version != PARSER_VERSION:
        raise ValueError("not a catalog of this parser version")
    return Catalog(
        source,
        name,
        [
            Topic(tid, title, level, parent, line, list(tItems),
                  [Passage(*p) for p in passages], list(children))
            for tid, title, level, parent, line, tItems, children, passages in topics
        ],
        {iid: Item(iid, url, title, list(titles), list(topic_ids), line)
         for iid, url, title, titles, topic_ids, line in items},
        list(warnings),
    )


def load(key: str, source: str) -> Catalog | None:
    """The cached catalog for this content, with ``source`` as given, or None."""
    # Loading makes ~10^5 objects and no cycles: the cyclic GC would only rescan them
    # (it was 80% of the load time on a 60k-item list).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with open(cache_path(key), "rb") as handle:
            catalog = _unpack(pickle.load(handle))
    except Exception:  # missing, corrupt, truncated, old format: all mean "no cache"
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    catalog.source = source
    return catalog


def store(key: str, catalog: Catalog) -> bool:
    """Write the catalog atomically; False (and no exception) if that fails."""
    path = cache_path(key)
    temp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(_pack(catalog), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp_name, path)
        return True
    except Exception:  # read-only or full disk: the cache is only an optimisation
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
        return False
