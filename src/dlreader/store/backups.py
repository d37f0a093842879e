"""Verified, rotating copies of a store under ``<data dir>/backups/<user>-<UTC time>.json``.

A backup is copied to a temp file, fsynced, read back and checked as a store, and only then
given its name: a file under its final name is always a good backup. Temp files a killed
backup left are removed by the next one (it runs with the store's lock held).
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from dlreader.fsutil import atomic_write, ensure_private_dir, read_regular_bytes, remove_stale_temps
from dlreader.store.schema import check_store
from dlreader.store.storage import parse_store_bytes

BACKUPS_DIR_NAME = "backups"
KEEP_BACKUPS = 10
HOURLY_SECONDS = 3600
_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_TIME_PATTERN = r"\d{8}T\d{6}\.\d{6}Z"


def backups_dir(store_path: Path) -> Path:
    return store_path.parent / BACKUPS_DIR_NAME


def _user_of(store_path: Path) -> str:
    return store_path.name.removesuffix(".json")


def _name_pattern(store_path: Path) -> re.Pattern[str]:
    # Anchored on the time stamp: user "a" never picks up user "a-b"'s backups.
    return re.compile(rf"^{re.escape(_user_of(store_path))}-({_TIME_PATTERN})\.json$")


def backup_time(path: Path) -> datetime | None:
    match = re.search(rf"-({_TIME_PATTERN})\.json$", path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), _TIME_FORMAT).replace(tzinfo=UTC)


def list_backups(store_path: Path) -> list[Path]:
    """This store's backups, newest first; none when the directory cannot be listed.

    Missing, not a directory (the data dir path runs through a file) or unreadable: there
    is no backup we could use, and a write then fails with its own clear error.
    """
    directory = backups_dir(store_path)
    pattern = _name_pattern(store_path)
    try:
        names = [entry.name for entry in os.scandir(directory) if pattern.match(entry.name)]
    except OSError:
        return []
    return [directory / name for name in sorted(names, reverse=True)]


def verify_store_file(path: Path) -> int:
    """Check ``path`` holds a store we can open; return its schema version.

    Raises ``StorageDamaged``, ``SchemaTooNew`` or ``OSError``.
    """
    return check_store(parse_store_bytes(read_regular_bytes(path)))


def is_good_backup(path: Path) -> bool:
    try:
        verify_store_file(path)
    except Exception:
        return False
    return True


def newest_good_backup(store_path: Path) -> Path | None:
    return next((path for path in list_backups(store_path) if is_good_backup(path)), None)


def seconds_since_newest_backup(store_path: Path, now: datetime | None = None) -> float | None:
    backups = list_backups(store_path)
    when = backup_time(backups[0]) if backups else None
    if when is None:
        return None
    return ((now or datetime.now(UTC)) - when).total_seconds()


def make_backup(store_path: Path, raw: bytes | None = None) -> Path:
    """Copy the store (or ``raw``, its bytes) into a new verified backup; prune old ones.

    Raises ``StorageDamaged``/``SchemaTooNew`` if the bytes are not a good store (a damaged
    file is never passed off as a backup) and ``OSError`` if writing fails.
    """
    if raw is None:
        raw = read_regular_bytes(store_path, follow_links=False)
    directory = backups_dir(store_path)
    ensure_private_dir(directory)
    # We hold the store's lock, so a temp file here is one a killed backup left behind.
    remove_stale_temps(directory, rf"{re.escape(_user_of(store_path))}-{_TIME_PATTERN}\.json")
    stamp = datetime.now(UTC).strftime(_TIME_FORMAT)
    final = directory / f"{_user_of(store_path)}-{stamp}.json"
    # The copy is read back and checked before it gets its name.
    atomic_write(final, raw, before_replace=verify_store_file)
    prune_backups(store_path)
    return final


def prune_backups(store_path: Path, keep: int = KEEP_BACKUPS) -> None:
    for old in list_backups(store_path)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
