"""Put a backup back in place of the store, also when the store is damaged."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from msgspec import Struct

from dlreader.errors import StoreError, StoreTooNew, UsageError, describe
from dlreader.fsutil import NotRegularFile, fsync_dir, read_regular_bytes
from dlreader.store import backups as backup_files
from dlreader.store.lock import StoreLock
from dlreader.store.messages import not_regular_message, too_new_message, write_error
from dlreader.store.schema import SchemaTooNew, check_store
from dlreader.store.storage import (
    StorageDamaged,
    parse_store_bytes,
    remove_stale_temp_files,
    write_file_atomically,
)


class RestoreOutcome(Struct, frozen=True):
    backup: Path
    kept_damaged: Path | None  # the damaged store, kept as <name>.corrupt-<time>
    saved_current: Path | None  # a backup of the good store that was replaced


def _resolve_backup(store_path: Path, backup: str | os.PathLike[str] | None) -> Path:
    if backup is None:
        newest = backup_files.newest_good_backup(store_path)
        if newest is None:
            raise UsageError(
                f"no good backup of {store_path} in {backup_files.backups_dir(store_path)}"
            )
        return newest
    given = Path(backup).expanduser()
    if given.is_file():
        return given
    in_backups = backup_files.backups_dir(store_path) / given.name
    if in_backups.is_file():
        return in_backups
    raise UsageError(f"no such backup: {backup}")


def restore_store(
    store_path: Path,
    backup: str | os.PathLike[str] | None = None,
    *,
    lock_timeout: float = 10.0,
) -> RestoreOutcome:
    """Replace the store with a backup; works on a damaged store.

    A damaged store is copied to ``<name>.corrupt-<UTC time>`` first; a good one is backed
    up first. The store is replaced atomically, so there is no moment without one.
    """
    chosen = _resolve_backup(store_path, backup)
    try:
        raw = read_regular_bytes(chosen)
        check_store(parse_store_bytes(raw))
    except StorageDamaged as error:
        raise UsageError(f"{chosen} is not a good backup: {error.reason}") from None
    except SchemaTooNew as error:
        raise StoreTooNew(too_new_message(chosen, error.version)) from None
    except OSError as error:
        raise UsageError(f"cannot read {chosen}: {describe(error)}") from None

    with StoreLock(store_path, lock_timeout).held():
        remove_stale_temp_files(store_path)
        kept_damaged = saved_current = None
        try:
            current = read_regular_bytes(store_path, follow_links=False)
        except FileNotFoundError:
            current = None
        except NotRegularFile as error:
            raise UsageError(not_regular_message(store_path, error.kind)) from None
        except OSError as error:
            raise StoreError(f"cannot read {store_path}: {describe(error)}") from None
        try:
            if current is not None:
                try:
                    check_store(parse_store_bytes(current))
                except (StorageDamaged, SchemaTooNew):
                    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                    kept_damaged = store_path.with_name(f"{store_path.name}.corrupt-{stamp}")
                    serial = 1
                    while kept_damaged.exists():  # never lose an earlier damaged copy
                        serial += 1
                        kept_damaged = kept_damaged.with_name(
                            f"{store_path.name}.corrupt-{stamp}-{serial}"
                        )
                    shutil.copy2(store_path, kept_damaged)
                    os.chmod(kept_damaged, 0o600)
                    with open(kept_damaged, "rb+") as handle:
                        os.fsync(handle.fileno())
                    fsync_dir(store_path.parent)
                else:
                    saved_current = backup_files.make_backup(store_path, current)
            os.close(write_file_atomically(store_path, raw))
        except OSError as error:
            raise write_error(store_path, error) from error
    return RestoreOutcome(chosen, kept_damaged, saved_current)
