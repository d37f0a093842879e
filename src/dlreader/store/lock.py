"""The store's write lock, and who holds it.

``filelock.FileLock`` uses ``flock``: the kernel drops it when the holder dies, so a killed
process never blocks anyone. The lock file itself carries nothing, so the holder writes its
pid, command and start time into ``<store>.holder`` after acquiring; a writer that gives up
waiting names the holder from there.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dlreader.errors import StoreBusy, StoreWriteError, describe
from dlreader.fsutil import FILE_MODE, ensure_private_dir, read_regular_bytes
from dlreader.textsafe import one_line

if TYPE_CHECKING:
    from filelock import FileLock


def lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


def holder_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".holder")


def _this_process() -> dict[str, object]:
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
    return {
        "pid": os.getpid(),
        "command": command[:200],
        "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }


def describe_holder(store_path: Path) -> str:
    try:
        raw = read_regular_bytes(holder_path(store_path), limit=4096, follow_links=False)
        holder = json.loads(raw)
        return one_line(
            f"pid {holder['pid']} ({holder['command']}), holding it since {holder['since']}"
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return "another dlreader process"


class StoreLock:
    """Re-entrant across threads of one process: the first acquire takes the file lock."""

    def __init__(self, store_path: Path, timeout: float) -> None:
        self.store_path = store_path
        self.timeout = timeout
        # Made on the first write: opening a store to read it (the app's start-up path)
        # never pays for importing filelock.
        self._file_lock: FileLock | None = None
        self._thread_lock = threading.RLock()
        self._depth = 0

    @contextlib.contextmanager
    def held(self, *, wait: bool = True) -> Iterator[None]:
        """The lock, waiting up to the timeout for another holder (``wait=False``: one
        try, StoreBusy at once if another process holds it)."""
        with self._thread_lock:
            if self._depth == 0:
                self._acquire(self.timeout if wait else 0)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self, timeout: float) -> None:
        from filelock import FileLock, Timeout

        try:
            ensure_private_dir(self.store_path.parent)
            if self._file_lock is None:
                self._file_lock = FileLock(
                    lock_path(self.store_path), mode=FILE_MODE, thread_local=False
                )
            self._file_lock.acquire(timeout=timeout)
        except Timeout:  # a TimeoutError, so an OSError: it must be caught first
            raise StoreBusy(
                f"{self.store_path} is busy: {describe_holder(self.store_path)}; "
                f"gave up after {timeout:g} s (close the other dlreader, or try again)"
            ) from None
        except OSError as error:
            # The data dir cannot be made or the lock file cannot be opened: nothing has
            # been written yet, so the store is as it was.
            raise self._lock_error(error) from error
        with contextlib.suppress(OSError):  # only used to name us in others' messages
            self._write_holder()

    def _lock_error(self, error: OSError) -> StoreWriteError:
        where = error.filename or lock_path(self.store_path)
        return StoreWriteError(
            f"cannot lock {self.store_path} for writing: {where}: "
            f"{describe(error)}; nothing was changed"
        )

    def _write_holder(self) -> None:
        path = holder_path(self.store_path)
        # A fresh file, never opened through a link: a symlink planted as the holder file
        # must not let us truncate or write whatever it points at.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(path, flags, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(_this_process(), handle)

    def _release(self) -> None:
        with contextlib.suppress(OSError):
            holder_path(self.store_path).unlink()
        if self._file_lock is not None:
            self._file_lock.release()
