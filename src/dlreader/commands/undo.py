"""``dlreader undo`` and ``dlreader redo``: the list's undo journal, shared with the app."""

from __future__ import annotations

import argparse

from dlreader.catalog.model import Catalog
from dlreader.commands import Context, say
from dlreader.errors import CatalogError
from dlreader.store.records import Step
from dlreader.textsafe import one_line, plural


def _describe(step: Step) -> str:
    label = one_line(step.label) or "a change"
    return f"{label!r} of {step.time} ({plural(len(step.after), 'item')})"


def _journal_step(context: Context, verb: str) -> int:
    # Per list: the last change made in this list (--source), never one made in another.
    # The list itself is only needed to add it to the library: undo works without it.
    try:
        catalog: Catalog | None = context.load_catalog()
    except CatalogError:
        catalog = None
    with context.open_store() as store:
        if catalog is not None:
            context.remember_list(store, catalog)
        key = context.list_key
        step = store.undo(key) if verb == "undo" else store.redo(key)
    done = "undid" if verb == "undo" else "redid"
    if step is None:
        where = f" in {one_line(catalog.name)}" if catalog is not None else ""
        say(context, f"nothing to {verb}{where}")
    else:
        say(context, f"{done} {_describe(step)}")
    return 0


def undo(args: argparse.Namespace, context: Context) -> int:
    return _journal_step(context, "undo")


def redo(args: argparse.Namespace, context: Context) -> int:
    return _journal_step(context, "redo")
