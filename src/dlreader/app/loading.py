"""How the reading screen gets its list, fastest first (none of this touches widgets).

1. ``cached_catalog``: the parse cache gives the whole catalog in milliseconds (no markdown
   parser imported); a big list's first topic shows from it at once (``topic_preview``);
2. else ``outline``: a heading-only scan gives the tree for the first paint, and
3. ``full_catalog`` parses in a thread after it (it would otherwise compete with the first
   paint for the GIL);
4. ``reading_state`` joins the catalog with the user's records and the items new since
   the user last saw the list;
5. ``refresh_remote``: a remote list's copy older than a day is asked for again, in the
   background, once the list is on screen.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlreader.app.messages import RemoteRefreshed
from dlreader.app.screens.dialog import preload_dialog_styles
from dlreader.catalog.model import Catalog
from dlreader.reading import ReadingState

if TYPE_CHECKING:
    from textual.app import App

    from dlreader.catalog.loader import BackgroundLoad
    from dlreader.catalog.model import Topic
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store

# Up to this many items the reading state is built before the first paint (a few ms);
# bigger lists get it from a thread so the tree shows at once.
SYNC_STATE_ITEMS = 5000


def error_text(error: Exception) -> str:
    """A background failure as the user reads it: our message, else the exception."""
    return getattr(error, "message", None) or f"{type(error).__name__}: {error}"


def after_first_links(app: App[Any]) -> None:
    """What start-up leaves until the first links are on screen: the cyclic GC, kept off
    by the launcher meanwhile (commands/launch.py; tests never turn it off), and the
    dialogs' styles."""
    gc.enable()
    preload_dialog_styles(app)


def cached_catalog(path: Path, base_url: str | None) -> Catalog | None:
    # The loader's lookup imports only the cache module, never the markdown parser.
    from dlreader.catalog.loader import cached_catalog as lookup

    try:
        return lookup(path, base_url=base_url)
    except Exception:  # any problem means "no cache": the full load reports it properly
        return None


def outline(path: Path, begun: BackgroundLoad | None = None
            ) -> tuple[list[Topic], str] | None:
    """The tree from a heading scan (the same topic ids as the full parse), and a name
    (``begun``: the launcher's load, whose forked child may have scanned it already)."""
    from dlreader.catalog.model import source_stem
    from dlreader.catalog.titles import list_name

    def scan() -> list[Topic]:
        from dlreader.catalog.loader import read_list_text
        from dlreader.catalog.outline import scan_outline

        return scan_outline(read_list_text(path), str(path))

    try:
        topics = scan() if begun is None else begun.outline(scan)
    except Exception:  # the full load reports the problem properly
        return None
    # As the parse names it (catalog/builder.py).
    return topics, list_name([(t.title, t.level) for t in topics if t.level > 0],
                             source_stem(str(path)))


def preview(path: Path, begun: BackgroundLoad | None = None) -> Catalog | None:
    """A parse of the list's beginning up to its second topic (milliseconds): the first
    topic's links while the full parse runs, or None (``begun``: as for ``outline``)."""

    def parse() -> Catalog | None:
        from dlreader.catalog.loader import read_list_text
        from dlreader.catalog.outline import preview_catalog

        return preview_catalog(read_list_text(path), str(path))

    try:
        return parse() if begun is None else begun.preview(parse)
    except Exception:  # the full load reports any problem
        return None


def topic_preview(catalog: Catalog, topic_id: str | None) -> Catalog | None:
    """``catalog`` cut down to one topic's own items (all its topics kept, so each row
    still says where else its item is): that topic's links for the first frame of a big
    list, while the whole list's reading state is built in a thread."""
    if topic_id is None or not catalog.has_topic(topic_id):
        return None
    items = {item_id: catalog.items[item_id] for item_id in catalog.topic(topic_id).items
             if item_id in catalog.items}
    return Catalog(catalog.source, catalog.name, catalog.topics, items,
                   named_after_file=catalog.named_after_file)


def full_catalog(path: Path, base_url: str | None,
                 progress: Callable[[float], None] | None = None, *,
                 begun: BackgroundLoad | None = None) -> Catalog:
    """The whole catalog, parsed in worker processes (``begun``: the launcher's load,
    started before Textual was imported)."""
    if begun is not None:
        begun.on_progress = progress
        return begun.result()
    from dlreader.catalog.loader import load_catalog

    return load_catalog(path, progress=progress, base_url=base_url, offload=True)


def reading_state(catalog: Catalog, store: Store, opened: OpenedList | None) -> ReadingState:
    """The reading state, with the items added since the user last saw the list."""
    from dlreader.library import new_item_ids

    state = ReadingState(catalog, store.states())
    if opened is not None:
        state.set_new(new_item_ids(catalog, store.list_record(opened.key)))
    # The catalog and the state live as long as the list is open and hold no cycles: out
    # of the cyclic collector's sight, whose full passes over them (70-150 ms on the seed
    # x100) landed inside key presses. They are still freed by reference counting.
    gc.freeze()
    return state


def refresh_remote(old: Catalog, path: Path, store: Store,
                   opened: OpenedList) -> RemoteRefreshed | None:
    """Ask the server for a newer version of a copy older than a day (on a thread); what
    to show, or None when there is nothing to say."""
    from dlreader.sources import remote
    from dlreader.sources.download import Unreachable

    assert opened.remote is not None
    data_dir = store.path.parent
    facts = remote.kept_facts(opened.remote, data_dir)
    if facts is None or not remote.is_stale(facts):
        return None
    try:
        outcome = remote.update(opened.remote, data_dir)
    except Unreachable as error:
        return RemoteRefreshed(None, f"Offline: showing the copy kept on "
                                     f"{remote.when(facts.fetched)} ({error.message})")
    except Exception as error:
        return RemoteRefreshed(None, f"The list could not be updated: {error_text(error)}")
    if not outcome.changed:
        return None
    from dlreader.library import describe_changes

    try:
        catalog = full_catalog(path, opened.base_url)
        state = reading_state(catalog, store, opened)
    except Exception as error:
        return RemoteRefreshed(None, f"The new version could not be read: {error_text(error)}")
    return RemoteRefreshed(state, f"Updated to the newest version: "
                                  f"{describe_changes(old, catalog)}.")
