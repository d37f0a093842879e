"""``dlreader topics``: the topic tree with done (read or skipped) over total."""

from __future__ import annotations

import argparse
from typing import Any

from rich.cells import cell_len

from dlreader.catalog.model import Catalog, Topic
from dlreader.commands import Context
from dlreader.commands.common import (
    emit_json,
    fit,
)
from dlreader.progress import count_done, text_bar
from dlreader.store.records import ItemState
from dlreader.textsafe import one_line


def _topic_tree(catalog: Catalog, states: dict[str, ItemState], topic: Topic) -> dict[str, Any]:
    item_ids = catalog.item_ids_under(topic.id, recursive=True)
    read = sum(1 for i in item_ids if (s := states.get(i)) is not None and s.status == "read")
    return {
        "id": topic.id,
        "title": topic.title,
        "level": topic.level,
        "read": read,
        "done": count_done(item_ids, states),  # read or skipped: what the bars show
        "total": len(item_ids),
        "children": [_topic_tree(catalog, states, child) for child in catalog.children(topic.id)],
    }


def topics(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    tree = [_topic_tree(catalog, states, root) for root in catalog.roots()]
    tree = [node for node in tree if node["total"] or node["children"] or node["level"] > 0]
    if args.format == "json":
        emit_json(context, tree)
        return 0
    lines: list[tuple[str, int, int]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        title = node["title"] or "(before the first heading)"
        lines.append(("  " * depth + one_line(title), node["done"], node["total"]))
        for child in node["children"]:
            walk(child, depth + 1)

    for node in tree:
        walk(node, 0)
    width = min(70, max([5, *(cell_len(label) for label, _, _ in lines)]))
    digits = len(str(max([1, *(total for _, _, total in lines)])))
    print(f"{fit('TOPIC', width)}  {'DONE':>{digits * 2 + 1}}", file=context.stdout)
    for label, done, total in lines:
        print(
            f"{fit(label, width)}  {done:>{digits}}/{total:<{digits}}  "
            f"{text_bar(done, total, 10)}",
            file=context.stdout,
        )
    return 0
