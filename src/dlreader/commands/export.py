"""``dlreader export``: the notes as markdown, to stdout or atomically to a file."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dlreader.commands import Context
from dlreader.errors import UsageError
from dlreader.export import build_export, write_atomically
from dlreader.textsafe import plural

if TYPE_CHECKING:
    from dlreader.catalog.model import Catalog
    from dlreader.linkhealth.records import LinkRecord
    from dlreader.store.records import ItemState


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
    links = context.link_book().records
    if args.format == "bibtex":
        return _export_bibtex(args, context, catalog, states, links)
    export = build_export(
        catalog,
        states,
        user=context.user,
        date=export_date(),
        statuses=args.status,
        priorities=args.priority,
        topic=args.topic,
        include_all=args.all,
        links=links,
    )
    _write(args, context, export.text,
           f"{plural(export.items, 'item')} ({plural(export.notes, 'note')})")
    return 0


def _export_bibtex(args: argparse.Namespace, context: Context, catalog: Catalog,
                   states: Mapping[str, ItemState], links: Mapping[str, LinkRecord]) -> int:
    from dlreader.bibtex import build_bibtex

    bib = build_bibtex(catalog, states, links, statuses=args.status,
                       priorities=args.priority, topic=args.topic)
    if bib.skipped:
        print(f"dlreader: {plural(bib.skipped, 'arXiv item')} without metadata left out "
              "(`dlreader check` fetches it)", file=context.stderr)
    entries = "1 BibTeX entry" if bib.entries == 1 else f"{bib.entries} BibTeX entries"
    _write(args, context, bib.text, entries)
    return 0


def _write(args: argparse.Namespace, context: Context, text: str, what: str) -> None:
    if not args.output or args.output == "-":
        context.stdout.write(text)
        return
    write_atomically(args.output, text)
    print(f"dlreader: exported {what} to {args.output}", file=context.stderr)
