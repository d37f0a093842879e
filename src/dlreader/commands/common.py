"""Helpers of several commands: JSON output, fixed-width cells, finding a topic by title."""

from __future__ import annotations

import difflib
from typing import Any

from rich.cells import cell_len, set_cell_size

from dlreader.catalog.model import Catalog, Item, Topic
from dlreader.commands import Context
from dlreader.errors import UsageError
from dlreader.store.records import ItemState
from dlreader.textsafe import print_json


def emit_json(context: Context, value: Any) -> None:
    print_json(value, context.stdout)


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis or padded to exactly ``width`` cells."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def topic_label(catalog: Catalog, topic: Topic) -> str:
    return " > ".join(t.title or "(before the first heading)" for t in catalog.path(topic.id))


def find_one_topic(catalog: Catalog, ref: str) -> Topic:
    """The one topic ``ref`` names (id or title); ``UsageError`` listing candidates otherwise."""
    found = catalog.find_topics(ref)
    if len(found) == 1:
        return found[0]
    if found:
        candidates = "; ".join(f"{t.id} ({topic_label(catalog, t)})" for t in found)
        raise UsageError(f"{len(found)} topics are titled {ref!r}: {candidates}; give the id")
    titles = [t.title for t in catalog.topics if t.title]
    close = difflib.get_close_matches(ref, titles, n=5, cutoff=0.5)
    lowered = ref.casefold()
    close += [t for t in titles if lowered in t.casefold() and t not in close][: 5 - len(close)]
    hint = f"; did you mean: {', '.join(repr(t) for t in close)}" if close else ""
    raise UsageError(f"no topic titled {ref!r}{hint} (`dlreader topics` lists them)")


def state_or_default(item: Item, state: ItemState | None) -> ItemState:
    return state if state is not None else ItemState(item.id, item.url, item.title)


def orphans(catalog: Catalog, states: dict[str, ItemState]) -> list[ItemState]:
    """State whose item left the list, oldest change first."""
    found = [state for item_id, state in states.items() if item_id not in catalog.items]
    return sorted(found, key=lambda state: (state.updated, state.item_id))


def item_title(catalog: Catalog, item_id: str, states: dict[str, ItemState]) -> str:
    item = catalog.items[item_id]
    state = states.get(item_id)
    return state.shown_title(item.title) if state is not None else item.title
