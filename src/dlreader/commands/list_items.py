"""``dlreader list``: items with their state, filtered like the app's filter dialog.

Text output is for people (aligned columns); ``--format json`` is for programs and its
shape is fixed.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len

from dlreader.catalog.model import Catalog, Item
from dlreader.commands import Context, say
from dlreader.commands.common import (
    emit_json,
    find_one_topic,
    fit,
    orphans,
    state_or_default,
)
from dlreader.errors import UsageError
from dlreader.filters import ItemFilter
from dlreader.linkhealth.display import link_fields, shown_title
from dlreader.linkhealth.records import LinkBook
from dlreader.store.records import ItemState
from dlreader.tags import clean_tag
from dlreader.textsafe import one_line

TITLE_WIDTH = 60


def _row(
    catalog: Catalog | None, item: Item | None, state: ItemState, book: LinkBook
) -> dict[str, Any]:
    topics = [] if item is None or catalog is None else [
        catalog.topic(topic_id).title for topic_id in item.topics
    ]
    url = item.url if item is not None else state.url
    record = book.get(url)
    list_title = item.title if item is not None else state.title
    return {
        "id": state.item_id,
        "url": url,
        "title": state.shown_title(list_title),  # the user's own title wins
        "list_title": list_title,
        "topics": topics,
        "status": state.status,
        "priority": state.priority,
        "note": state.note,
        "tags": list(state.tags),
        "updated": state.updated or None,
        **link_fields(record),
        # For the text table: the title to show, and whether it was fetched.
        # The user's own title wins over the list's and a fetched one.
        "_shown": ((state.own_title, False) if state.own_title
                   else shown_title(item, record) if item is not None else (state.title, False)),
    }


def list_filter(args: argparse.Namespace) -> ItemFilter:
    """`dlreader list`'s options as the app's filter model (dlreader.filters)."""
    tags = frozenset(clean_tag(tag) for tag in args.tag or ())
    return ItemFilter(statuses=frozenset(args.status or ()),
                      min_priority=args.priority or "none", noted=args.noted, tags=tags)


def _title_cell(row: dict[str, Any]) -> str:
    """The list's title, or a fetched page title marked with ``~`` (it is not the list's)."""
    title, fetched = row["_shown"]
    return f"~{one_line(title)}" if fetched else one_line(title)


def _print_rows(context: Context, rows: Sequence[dict[str, Any]]) -> None:
    out = context.stdout
    width = max([5, *(min(TITLE_WIDTH, cell_len(_title_cell(r))) for r in rows)])
    print(f"{'STATUS':<8} {'PRIORITY':<8} {'NOTE':<4} {'ID':<14} {fit('TITLE', width)} URL",
          file=out)
    for row in rows:
        note = "yes" if row["note"].strip() else ""
        print(
            f"{row['status']:<8} {row['priority']:<8} {note:<4} {one_line(row['id']):<14} "
            f"{fit(_title_cell(row), width)} {one_line(row['url'] or '')}".rstrip(),
            file=out,
        )


def list_items(args: argparse.Namespace, context: Context) -> int:
    if args.orphans and args.topic is not None:
        raise UsageError("--orphans and --topic do not go together: orphans have no topic")
    if args.orphans and args.new:
        raise UsageError("--orphans and --new do not go together: orphans are not in the list")
    chosen = list_filter(args)
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    book = context.link_book()
    rows: list[dict[str, Any]] = []
    if args.orphans:
        rows = [
            _row(catalog, None, s, book) for s in orphans(catalog, states) if chosen.matches(s)
        ]
    else:
        if args.topic is not None:
            item_ids: Iterable[str] = catalog.item_ids_under(
                find_one_topic(catalog, args.topic).id, recursive=True
            )
        else:
            item_ids = catalog.items
        if args.new:
            new = set(context.new_item_ids(catalog))
            item_ids = [item_id for item_id in item_ids if item_id in new]
        for item_id in item_ids:
            item = catalog.items[item_id]
            state = state_or_default(item, states.get(item_id))
            if chosen.matches(state):
                rows.append(_row(catalog, item, state, book))
    if args.format == "json":
        emit_json(context, [{k: v for k, v in row.items() if k != "_shown"} for row in rows])
        return 0
    if not rows:
        say(context, "no orphaned state" if args.orphans else "no items match")
        return 0
    _print_rows(context, rows)
    return 0
