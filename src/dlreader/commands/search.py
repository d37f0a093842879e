"""``dlreader search``: the app's ranked hits (dlreader.search), so the two never disagree."""

from __future__ import annotations

import argparse

from dlreader.commands import Context, say
from dlreader.commands.common import find_one_topic, item_title
from dlreader.errors import UsageError
from dlreader.search import SearchIndex
from dlreader.textsafe import json_text, one_line


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
            "title": (item_title(catalog, item.id, states) if item is not None
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
