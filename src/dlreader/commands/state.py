"""``dlreader state``: ``restore [BACKUP]``, ``backups``, ``export FILE``, ``import FILE``."""

from __future__ import annotations

import argparse
from typing import Literal

from dlreader.commands import Context, say
from dlreader.errors import UsageError
from dlreader.export import write_atomically
from dlreader.fsutil import NotRegularFile, describe_read_error, read_user_text
from dlreader.state_file import dump_state, parse_state
from dlreader.textsafe import plural


def state_export(args: argparse.Namespace, context: Context) -> int:
    """Every field of every record of the user's store, as JSON (``-`` for stdout)."""
    with context.open_store() as store:
        states = store.states()
    text = dump_state(context.user, states)
    if args.file == "-":
        context.stdout.write(text)
        return 0
    write_atomically(args.file, text)
    print(f"dlreader: exported {plural(len(states), 'record')} of {context.user} to {args.file}",
          file=context.stderr)
    return 0


# Far above any real store (60k records are ~25 MB), far below what would hurt.
IMPORT_LIMIT = 512 << 20


def _read_export(file: str) -> str:
    """The file's text; problems are raised without the file name (the caller adds it)."""
    try:
        return read_user_text(file, limit=IMPORT_LIMIT)
    except IsADirectoryError:
        raise UsageError("is a directory, not a state export") from None
    except UnicodeDecodeError:
        raise UsageError("not a dlreader state export (not UTF-8 text)") from None
    except NotRegularFile as error:
        raise UsageError(f"is {error.kind}, not a state export") from None
    except OSError as error:
        raise UsageError(describe_read_error(error)) from None


def state_import(args: argparse.Namespace, context: Context) -> int:
    """Read a state export into the user's store; the whole file is checked first.

    An empty store takes the records as they are. A store that already has state needs
    ``--merge`` (the newer ``updated`` wins per item) or ``--replace`` (the store backs
    itself up first). Nothing is written unless the file is entirely valid.
    """
    try:
        records = parse_state(_read_export(args.file))
    except UsageError as error:
        raise UsageError(f"{args.file}: {error.message}; nothing was imported") from None

    with context.open_store() as store:
        existing = len(store.states())
        if existing and not (args.merge or args.replace):
            raise UsageError(
                f"{context.user} already has {existing} records in {context.store_path}: "
                "add --merge (the newer change wins per item) or --replace (after a backup)"
            )
        mode: Literal["merge", "replace"] = "replace" if args.replace else "merge"
        outcome = store.import_states(records, mode)
        backups = store.backups() if existing else []
    # Records removed by --replace are not among the file's records: counted apart, so
    # the first count never exceeds the second.
    message = (
        f"dlreader: imported {args.file} ({mode}): "
        f"{outcome.changed} of {plural(len(records), 'record')} changed"
    )
    if outcome.removed:
        message += f", {plural(outcome.removed, 'record')} not in the file removed"
    if backups:
        message += f"; backup of the previous state: {backups[0]}"
    print(message, file=context.stderr)
    return 0


def restore(args: argparse.Namespace, context: Context) -> int:
    from dlreader.store.restore import restore_store

    outcome = restore_store(context.store_path, args.backup)
    say(context, f"restored {context.store_path} from {outcome.backup}")
    if outcome.kept_damaged is not None:
        say(context, f"the damaged file was kept as {outcome.kept_damaged}")
    if outcome.saved_current is not None:
        say(context, f"the state it replaced was backed up to {outcome.saved_current}")
    return 0


def backups(args: argparse.Namespace, context: Context) -> int:
    from dlreader.store import backups as backup_files
    from dlreader.store.schema import check_store
    from dlreader.store.storage import parse_store_bytes

    found = backup_files.list_backups(context.store_path)
    if not found:
        where = backup_files.backups_dir(context.store_path)
        say(context, f"no backups of {context.user} in {where}")
        return 0
    for path in found:
        when = backup_files.backup_time(path)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "?"
        try:
            data = parse_store_bytes(path.read_bytes())
            check_store(data)
            what = plural(len(data.get("items", {})), "record")
        except Exception as error:  # a bad backup is listed, and said to be bad
            what = f"NOT USABLE ({getattr(error, 'reason', error)})"
        print(f"{stamp}  {what:<14}  {path}", file=context.stdout)
    return 0
