"""A TinyDB Storage that never leaves a half-written file and knows when the disk moved on.

TinyDB's own ``JSONStorage`` rewrites the file in place, so a crash mid-write leaves invalid
JSON. This storage writes a temp file in the same directory, fsyncs it, renames it over the
store and fsyncs the directory: a reader sees the old file or the new one, never a mix.

It also caches the last data it read or wrote together with the file's signature (device,
inode, size, mtime, ctime), so a read costs one ``stat`` unless another process replaced
the file. On POSIX it keeps a descriptor of the file it last saw open, which pins that
inode: the number cannot be recycled for a later file, so "same inode" really means "same
file" even when two writes land within one coarse timestamp tick.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct
from tinydb.storages import Storage

from dlreader.errors import describe
from dlreader.fsutil import (
    atomic_write_fd,
    ensure_private_dir,
    open_regular,
    read_fd,
    remove_stale_temps,
)

# A descriptor that pins the inode is only harmless where open files can be replaced.
_PIN_INODE = os.name == "posix"

Tables = dict[str, dict[str, Any]]


class StorageDamaged(Exception):
    """The file exists but does not hold a TinyDB JSON document; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StorageWriteFailed(Exception):
    """Writing failed; the file on disk is the one that was there before."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path}: {describe(error)}")
        self.path = path
        self.error = error


class FileSignature(Struct, frozen=True):
    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileSignature:
        return cls(
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
        )


def parse_store_bytes(raw: bytes) -> Tables:
    """The tables in a store file, or ``StorageDamaged`` naming what is wrong with it."""
    if not raw:
        raise StorageDamaged("the file is empty (0 bytes); a valid store is never empty")
    if b"\x00" in raw:
        raise StorageDamaged(f"the file contains NUL bytes (first at byte {raw.index(0)})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StorageDamaged(f"the file is not UTF-8 (byte {error.start})") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise StorageDamaged("the file is nested too deeply to be a store") from None
    except json.JSONDecodeError as error:
        # "Extra data" is a second document glued on; anything else ending at the end of
        # the text is a truncated one.
        kind = "truncated" if error.pos >= len(text.rstrip()) else "not valid JSON"
        # Some of json's messages end in "at" already ("Unterminated string starting at").
        what = error.msg.removesuffix(" at")
        raise StorageDamaged(
            f"the file is {kind} ({what} at line {error.lineno} column {error.colno})"
        ) from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise StorageDamaged(f"the file is not a store ({error})") from None
    if _SURROGATE_ESCAPE.search(text) and not _encodable(data):
        raise StorageDamaged("the file holds a lone surrogate (a \\ud800-style escape), not text")
    if not isinstance(data, dict):
        raise StorageDamaged(f"the file holds a JSON {type(data).__name__}, not a store object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StorageDamaged(f"table {name!r} is not an object")
        for doc_id, doc in table.items():
            # Only TinyDB's own form: "01" or "²" beside "1" would be two keys of one
            # record, and the next write would drop one of them.
            if not _DOC_ID.match(doc_id) or not isinstance(doc, dict):
                raise StorageDamaged(f"table {name!r} has a malformed record {doc_id!r}")
    return data


_DOC_ID = re.compile(r"^[1-9][0-9]{0,17}\Z")
# A JSON escape of a UTF-16 surrogate: only then can the text hold a lone one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodable(data: object) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def serialize(data: Tables) -> bytes:
    # Compact separators: a 60k-record store is rewritten on every change.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def remove_stale_temp_files(path: Path) -> int:
    """Delete temp files a killed writer of ``path`` left behind; call with the lock held.

    Every writer of the store holds its lock, so while we hold it no live writer has a temp
    file. The pattern matches this store's temp names exactly, never another user's.
    """
    return remove_stale_temps(path.parent, re.escape(path.name))


def write_file_atomically(path: Path, payload: bytes) -> int:
    """Replace the store file ``path`` (mode 0600, its dir made 0700) or leave it as it was.

    Returns the still-open descriptor of the new file (the caller closes it). A store that
    is a symlink or a device is refused (``NotRegularFile``), never replaced.
    """
    ensure_private_dir(path.parent)
    return atomic_write_fd(path, payload)


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic writes, a cache checked against the file's signature.

    ``deferred()`` collects every TinyDB write made inside it and writes the file once at
    the end, so a change touching several tables costs one write. If a write fails the
    cache is dropped: the next read comes from the disk, and memory never claims what the
    disk does not hold.
    """

    def __init__(self, path: str | os.PathLike[str], **_ignored: Any) -> None:
        super().__init__()
        self.path = Path(path)
        self._cache: Tables | None = None
        self._signature: FileSignature | None = None
        self._pinned_fd: int | None = None
        self._deferred = False
        self._dirty = False
        #: Called with freshly read data before it is cached; raises if it is unusable.
        self.validate: Callable[[Tables], object] | None = None

    # -- reading --------------------------------------------------------------------------

    def disk_signature(self) -> FileSignature | None:
        try:
            return FileSignature.of(os.lstat(self.path))
        except FileNotFoundError:
            return None

    def changed_on_disk(self) -> bool:
        """True when the file is not the one this storage last read or wrote."""
        return self.disk_signature() != self._signature

    def read(self) -> Tables | None:
        if self._deferred and self._cache is not None:
            return self._cache
        signature = self.disk_signature()
        if signature is None:
            self._forget()
            return None
        if self._cache is not None and signature == self._signature:
            return self._cache
        return self._load()

    def snapshot(self) -> Tables | None:
        """The data last read or written, without looking at the disk.

        The store reads through this between transactions so its id index and the data
        never disagree; it catches up with the disk only when it chooses to reload.
        """
        return self._cache

    def reload(self) -> Tables | None:
        """Read the file afresh (None if there is none).

        If the file is damaged (or ``validate`` rejects it) the error is raised and the
        previous data stays cached: what memory holds is still what a good file held, and
        ``changed_on_disk`` stays true, so nothing is written over the damaged file.
        """
        return self._load()

    def _load(self) -> Tables | None:
        # No link followed: the first write would silently turn a symlinked store into a
        # file. A FIFO planted as the store is refused, never waited on.
        try:
            fd = open_regular(self.path, follow_links=False)
        except FileNotFoundError:
            self._forget()
            return None
        try:
            signature = FileSignature.of(os.fstat(fd))
            raw = read_fd(fd)
            data = parse_store_bytes(raw)
            if self.validate is not None:
                self.validate(data)
        except BaseException:
            os.close(fd)
            raise
        self._remember(data, signature, fd)
        return data

    # -- writing --------------------------------------------------------------------------

    def write(self, data: Tables) -> None:
        if self._deferred:
            self._cache = data
            self._dirty = True
            return
        self._write_now(data)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold TinyDB's writes in memory and write the file once when the block ends."""
        if self._deferred:  # nested: the outer block writes
            yield
            return
        self._deferred = True
        self._dirty = False
        try:
            yield
        except BaseException:
            self._forget()
            raise
        finally:
            self._deferred = False
        if self._dirty:
            self._dirty = False
            assert self._cache is not None
            self._write_now(self._cache)

    def _write_now(self, data: Tables) -> None:
        try:
            fd = write_file_atomically(self.path, serialize(data))
        except OSError as error:
            self._forget()
            raise StorageWriteFailed(self.path, error) from error
        except BaseException:
            self._forget()
            raise
        self._remember(data, FileSignature.of(os.fstat(fd)), fd)

    # -- cache ----------------------------------------------------------------------------

    def _remember(self, data: Tables, signature: FileSignature, fd: int) -> None:
        self._unpin()
        self._cache = data
        self._signature = signature
        if _PIN_INODE:
            self._pinned_fd = fd
        else:
            os.close(fd)

    def _forget(self) -> None:
        self._unpin()
        self._cache = None
        self._signature = None

    def forget(self) -> None:
        """Drop the cache: the next read comes from the disk."""
        self._forget()

    def _unpin(self) -> None:
        if self._pinned_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pinned_fd)
            self._pinned_fd = None

    def close(self) -> None:
        self._forget()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._unpin()
