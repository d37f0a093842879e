"""What to read: `dlreader next` (the queue) and `dlreader search` (ranked hits).

Both print what the app shows: the queue's order comes from dlreader.reading_queue, the
hits from dlreader.search, so the CLI and the app never disagree.
"""

from __future__ import annotations

import argparse
from typing import Any

from dlreader.catalog.model import Catalog
from dlreader.commands import Context, say
from dlreader.commands.state_cmds import find_one_topic
from dlreader.errors import UsageError
from dlreader.reading_queue import queue_ids
from dlreader.search import SearchIndex
from dlreader.store.records import ItemState
from dlreader.textsafe import json_text, one_line


def _title(catalog: Catalog, item_id: str, states: dict[str, ItemState]) -> str:
    item = catalog.items[item_id]
    state = states.get(item_id)
    return state.shown_title(item.title) if state is not None else item.title


def _topic_titles(catalog: Catalog, item_id: str) -> list[str]:
    return [catalog.topic(topic_id).title for topic_id in catalog.items[item_id].topics]


def next_items(args: argparse.Namespace, context: Context) -> int:
    if args.n < 1:
        raise UsageError("-n must be at least 1")
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    entries: list[dict[str, Any]] = []
    for item_id in queue_ids(catalog, states)[: args.n]:
        state = states.get(item_id)
        entries.append({
            "id": item_id,
            "url": catalog.items[item_id].url,
            "title": _title(catalog, item_id, states),
            "status": state.status if state else "unread",
            "priority": state.priority if state else "none",
            "topics": _topic_titles(catalog, item_id),
        })
    if args.format == "json":
        print(json_text(entries), file=context.stdout)
        return 0
    if not entries:
        say(context, "nothing left to read: every item is read or skipped")
        return 0
    for entry in entries:
        mark = {"reading": "▶", "unread": "·"}[entry["status"]]
        priority = "" if entry["priority"] == "none" else f" [{entry['priority']}]"
        print(f"{mark} {one_line(entry['title'])}{priority}", file=context.stdout)
        where = " · ".join(one_line(t) for t in entry["topics"])
        print(f"    {one_line(entry['url'] or '(no link)')}  in {where}", file=context.stdout)
    return 0


def search(args: argparse.Namespace, context: Context) -> int:
    if not args.query.strip():
        raise UsageError("give something to search for")
    if args.n < 1:
        raise UsageError("-n must be at least 1")
    catalog = context.load_catalog()
    within = None
    if args.topic is not None:
        within = {topic.id for topic in catalog.subtree(find_one_topic(catalog, args.topic).id)}
    states = context.list_states(catalog)
    hits = SearchIndex(catalog).search(args.query, states, within=within, limit=args.n)
    rows: list[dict[str, str | None]] = []
    for hit in hits:
        item = catalog.items.get(hit.item_id) if hit.item_id is not None else None
        rows.append({
            "kind": hit.kind,
            "match": hit.match,
            "field": hit.field,
            "title": (_title(catalog, item.id, states) if item is not None
                      else catalog.topic(hit.topic_id).title),
            "text": hit.text,
            "url": item.url if item is not None else None,
            "topic": catalog.topic(hit.topic_id).title if hit.topic_id else None,
        })
    if args.format == "json":
        print(json_text(rows), file=context.stdout)
        return 0
    if not rows:
        say(context, f"no match for {one_line(args.query)!r}")
        return 0
    for row in rows:
        title, text = row["title"] or "", row["text"] or ""
        print(f"{row['match']:>9} {row['kind']:<7} {one_line(title)}", file=context.stdout)
        if text != title:
            print(f"{'':18}{one_line(text)[:100]}", file=context.stdout)
        if row["url"]:
            print(f"{'':18}{one_line(row['url'])}", file=context.stdout)
    return 0
