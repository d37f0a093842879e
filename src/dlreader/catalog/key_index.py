"""Which content key a list file had, by its stat: a warm start need not read and hash it.

The parse cache is keyed by the sha256 of a list's bytes (``cache.content_key``); hashing
means importing hashlib, which loads OpenSSL (~3-5 ms of every start). This index maps a
file (its path and base URL) and its stat (size, mtime, ctime, inode, device) to the
key its bytes had. Any change to the file changes its ctime, so a stat that matches is
the same content; git's index trusts the same facts.

Like the cache, it is only an optimisation: a missing, damaged or planted index means
"hash the file", never an error, and a failure to write it is ignored.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import msgspec

from dlreader import locations
from dlreader.catalog import cache
from dlreader.fsutil import read_regular_bytes

# A file changed within the clock's tick after it was hashed could keep the stat it was
# hashed with (git's "racily clean" files): one younger than this is not remembered.
SETTLED_SECONDS = 2.0
MAX_ENTRIES = 256  # past this the oldest entries go (one per list the user opened)
_LIMIT_BYTES = 1 << 20


class Stat(msgspec.Struct, array_like=True, frozen=True):
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, result: os.stat_result) -> Stat:
        return cls(result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino,
                   result.st_dev)


class _Entry(msgspec.Struct, array_like=True, frozen=True):
    stat: Stat
    key: str


_Index = dict[str, _Entry]


def index_path() -> Path:
    return locations.cache_dir() / "catalogs" / "keys.json"


def _name(path: str | os.PathLike[str], base_url: str | None) -> str:
    return f"{os.path.abspath(path)}\0{base_url or ''}"


def _read() -> _Index:
    try:
        data = read_regular_bytes(index_path(), limit=_LIMIT_BYTES, follow_links=False)
        return msgspec.json.decode(data, type=_Index)
    except Exception:  # missing, damaged, too big, planted: an empty index
        return {}


def known_key(path: str | os.PathLike[str], base_url: str | None) -> str | None:
    """The content key of the file as it is now, if the index has it; else None."""
    try:
        now = Stat.of(os.stat(path))
    except OSError:
        return None
    entry = _read().get(_name(path, base_url))
    return entry.key if entry is not None and entry.stat == now else None


def remember(path: str | os.PathLike[str], base_url: str | None, key: str,
             before: os.stat_result) -> None:
    """Record ``key`` for the file, given its stat taken *before* its bytes were read (a
    change while they were read then leaves a stat that matches nothing)."""
    if time.time() - before.st_mtime < SETTLED_SECONDS:
        return
    entry = _Entry(Stat.of(before), key)
    name = _name(path, base_url)
    index = _read()
    if index.get(name) == entry:
        return
    index.pop(name, None)
    index[name] = entry  # last: the newest, dropped last
    while len(index) > MAX_ENTRIES:
        del index[next(iter(index))]
    cache.write_file(index_path(), lambda: msgspec.json.encode(index))  # else: hashed again
