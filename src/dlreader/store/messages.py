"""What the store says to the user when its file is damaged, too new, not a regular file or
cannot be written: one place for the wording, shared by the store, restore and the CLI."""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path

from dlreader import locations
from dlreader.errors import StoreWriteError, describe
from dlreader.store import backups as backup_files
from dlreader.store.schema import SCHEMA_VERSION


def restore_command(store_path: Path, backup: Path | None = None) -> str:
    """The exact command line that restores ``store_path`` (from ``backup``)."""
    words = ["dlreader"]
    with contextlib.suppress(OSError):
        if store_path.parent.resolve() != locations.data_dir().resolve():
            words += ["--data-dir", str(store_path.parent)]
    user = store_path.name.removesuffix(".json")
    if user != locations.default_user():
        words += ["--user", user]
    words += ["state", "restore"]
    if backup is not None:
        words.append(str(backup))
    return shlex.join(words)


def damaged_message(store_path: Path, reason: str) -> str:
    good = backup_files.newest_good_backup(store_path)
    head = f"{store_path} is damaged: {reason}. It was left as it is."
    if good is None:
        return (
            f"{head} There is no good backup in {backup_files.backups_dir(store_path)}; "
            "move the file aside to start a new store, or mend it by hand."
        )
    return (
        f"{head} The newest good backup is {good}; restore it (the damaged file is kept "
        f"as {store_path.name}.corrupt-<time>) with:\n  {restore_command(store_path, good)}"
    )


def not_regular_message(store_path: Path, kind: str) -> str:
    if kind == "a symbolic link":
        why = ("dlreader does not write through a link (a write would replace it with a "
               "file): point --data-dir or DLREADER_DATA_DIR at the real directory")
    else:
        why = "a store is always a regular file"
    return f"{store_path} is {kind}, not a regular file; it was left as it is ({why})"


def too_new_message(store_path: Path, version: int) -> str:
    return (
        f"{store_path} was written by a newer dlreader (store schema {version}; this one "
        f"reads up to {SCHEMA_VERSION}). It was left as it is: upgrade dlreader to use it."
    )


def write_error(path: Path, error: OSError) -> StoreWriteError:
    return StoreWriteError(
        f"could not write {path}: {describe(error)}; the file was left as it was "
        "and the change was not made"
    )
