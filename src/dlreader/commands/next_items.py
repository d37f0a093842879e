"""``dlreader next``: what to read next, in the app's queue order (dlreader.reading_queue)."""

from __future__ import annotations

import argparse
from typing import Any

from dlreader.catalog.model import Catalog
from dlreader.commands import Context, say
from dlreader.commands.common import item_title
from dlreader.errors import UsageError
from dlreader.reading_queue import queue_ids
from dlreader.textsafe import json_text, one_line


def topic_titles(catalog: Catalog, item_id: str) -> list[str]:
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
            "title": item_title(catalog, item_id, states),
            "status": state.status if state else "unread",
            "priority": state.priority if state else "none",
            "topics": topic_titles(catalog, item_id),
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
