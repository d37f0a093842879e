"""``dlreader lists``: the library of lists the user has opened (``--forget`` removes one)."""

from __future__ import annotations

import argparse
from typing import Any

from dlreader.commands import Context, say
from dlreader.errors import UsageError
from dlreader.library import kept_catalog, list_progress
from dlreader.store.records import ListRecord
from dlreader.textsafe import json_text, one_line


def library_records(context: Context) -> list[ListRecord]:
    if not context.store_path.exists():
        return []
    with context.open_store() as store:
        return store.lists()


def find_list(context: Context, name: str) -> ListRecord:
    records = library_records(context)
    for record in records:
        if record.name == name:
            return record
    names = ", ".join(record.name for record in records) or "none yet"
    raise UsageError(f"no list named {name!r} in the library (lists: {names})")


def lists(args: argparse.Namespace, context: Context) -> int:
    if args.forget is not None:
        record = find_list(context, args.forget)
        with context.open_store() as store:
            store.forget_list(record.key)
        say(context, f"forgot {record.name} ({record.key}); the state of its items stays")
        return 0
    states: dict[str, Any] = {}
    records: list[ListRecord] = []
    if context.store_path.exists():
        with context.open_store() as library:
            states, records = library.states(), library.lists()
    rows: list[dict[str, Any]] = []
    for record in records:
        catalog = kept_catalog(context.data_dir, record.source)
        row: dict[str, Any] = {
            "name": record.name, "source": record.source or "(bundled)",
            "items": None, "done": None, "new": None, "opened": record.opened or None,
        }
        if catalog is not None:
            row["items"], row["done"], row["new"] = list_progress(catalog, states, record)
        rows.append(row)
    if args.format == "json":
        print(json_text(rows), file=context.stdout)
        return 0
    if not rows:
        say(context, "no lists yet: every list you open (--source) is added here")
        return 0
    name_width = max(4, *(len(one_line(r["name"])) for r in rows))
    print(f"{'NAME':<{name_width}} {'ITEMS':>6} {'DONE':>6} {'NEW':>5} {'OPENED':<20} SOURCE",
          file=context.stdout)
    for row in rows:
        def figure(value: int | None) -> str:
            return "?" if value is None else str(value)

        print(
            f"{one_line(row['name']):<{name_width}} {figure(row['items']):>6} "
            f"{figure(row['done']):>6} {figure(row['new']):>5} "
            f"{(row['opened'] or '-'):<20} {one_line(row['source'])}",
            file=context.stdout,
        )
    return 0


