"""``dlreader export``: the notes as markdown, to stdout or atomically to a file."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from dlreader.commands import Context, plural
from dlreader.errors import UsageError
from dlreader.export import build_export, write_atomically


def export_date() -> dt.date:
    """Today (local), or the day of ``SOURCE_DATE_EPOCH`` (UTC) for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return dt.date.today()


def export_notes(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    export = build_export(
        catalog,
        states,
        user=context.user,
        date=export_date(),
        statuses=args.status,
        priorities=args.priority,
        topic=args.topic,
        include_all=args.all,
    )
    if not args.output or args.output == "-":
        context.stdout.write(export.text)
        return 0
    write_atomically(args.output, export.text)
    print(
        f"dlreader: exported {plural(export.items, 'item')} ({plural(export.notes, 'note')}) "
        f"to {args.output}",
        file=context.stderr,
    )
    return 0
