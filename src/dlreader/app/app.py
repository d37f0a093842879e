"""The reading app: a thin Textual shell over the catalog, the reading view and the store.

The first paint shows the topic tree from a heading scan; the full catalog loads in a
thread and fills in rows and counts. Every change shows at once in the view and is
written by the single ``StoreWriter`` thread.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from dlreader import settings
from dlreader.app.actions import MAIN_SCREEN_ACTIONS, PALETTE_COMMANDS
from dlreader.app.components.detail_pane import DetailPane
from dlreader.app.components.item_list import ItemList, ListHeader
from dlreader.app.components.loading_bar import LoadingBar
from dlreader.app.components.title_bar import TitleBar
from dlreader.app.components.topic_tree import TopicTree
from dlreader.app.link_check import LinkProgress, LinksLoaded, check_links, read_links
from dlreader.app.messages import (
    CatalogFailed,
    CatalogLoaded,
    LoadProgress,
    RemoteRefreshed,
    StoreReport,
)
from dlreader.app.writer import Failed, Replaced, StoreWriter, Written
from dlreader.catalog.model import Catalog, Topic, item_urls
from dlreader.linkhealth.records import LinkRecord
from dlreader.reading import FILTERS, SORTS, Change, ReadingView
from dlreader.store.records import ItemState, ItemUpdate
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.catalog.loader import BackgroundLoad
    from dlreader.reading import SearchHit
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store

NARROW_WIDTH = 100
# Up to this many items the reading view is built before the first paint (a few ms);
# bigger lists get it from a thread so the tree shows at once.
SYNC_VIEW_ITEMS = 5000
RELOAD_SECONDS = 2.0
# After SIGTERM/SIGHUP: how long the writer may take to drain, and how long Textual then
# gets to leave by itself before the process ends anyway.
EXIT_FLUSH_SECONDS = 30.0
EXIT_GRACE_SECONDS = 3.0

class DlreaderApp(App[int]):
    # Absolute, so subclasses defined elsewhere (tests) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "dlreader"
    ENABLE_COMMAND_PALETTE = True
    # The screen gets "-narrow" below 100 columns (the CSS stacks the panes) and "-wide"
    # from there on; Textual re-evaluates it on every resize.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]

    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("space", "toggle_read", "Read", show=False),
        Binding("r", "set_status('reading')", "Reading", show=False),
        Binding("x", "set_status('skipped')", "Skip", show=False),
        Binding("1", "set_priority('high')", "High", show=False),
        Binding("2", "set_priority('medium')", "Medium", show=False),
        Binding("3", "set_priority('low')", "Low", show=False),
        Binding("0", "set_priority('none')", "No priority", show=False),
        Binding("n", "edit_note", "Note"),
        Binding("E", "edit_note_external", "$EDITOR", show=False),
        Binding("o", "open_url", "Open"),
        Binding("w", "open_archived", "Archived", show=False),
        Binding("c", "copy_url", "Copy"),
        Binding("right_square_bracket", "next_link", "Next link", show=False),
        Binding("slash", "search", "Search"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("a", "toggle_scope", "Subtopics", show=False),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("e", "export_notes", "Export", show=False),
        Binding("L", "switch_list", "Lists"),
        Binding("N", "acknowledge_new", "Seen new", show=False),
        Binding("C", "check_links", "Check links", show=False),
    ]

    def __init__(
        self,
        catalog_path: Path,
        store: Store,
        *,
        user: str,
        catalog: Catalog | None = None,
        reload_seconds: float = RELOAD_SECONDS,
        handle_signals: bool = False,
        opened: OpenedList | None = None,
        loading: BackgroundLoad | None = None,
    ) -> None:
        super().__init__()
        self.opened = opened
        self._loading = loading
        self.handle_signals = handle_signals
        self.catalog_path = Path(catalog_path)
        self.store = store
        self.user = user
        self.reading: ReadingView | None = None
        self.topic_id: str | None = None
        self.recursive = False
        self.filter = FILTERS[0]
        self.sort = SORTS[0]
        self.reload_seconds = reload_seconds
        self.writer = StoreWriter(store, lambda result: self.post_message(StoreReport(result)),
                                  list_key=opened.key if opened else None)
        self.last_notice = ""  # the last notification's text (tests read it)
        #: Set by the list switcher: the source the launcher opens next, after this exits.
        self.switch_to: str | None = None
        self._given_catalog = catalog
        self._theme_restored = False
        self._detail_pending = False
        self._quitting = False
        self._link_item: str | None = None  # the item whose link ] chose, and which one
        self._link_index = 0
        self._pending_topic: str | None = None
        self._link_stop = threading.Event()  # ends a background link check on exit
        self._checking_links = False

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The classes the screen's first Resize would give it by HORIZONTAL_BREAKPOINTS,
        # given now: otherwise the whole first screen is styled and laid out twice.
        wide = self.size.width >= NARROW_WIDTH
        self.screen.set_class(not wide, "-narrow").set_class(wide, "-wide")
        yield TitleBar(id="title-bar")
        with Horizontal(id="main"):
            yield TopicTree(id="tree")
            # The link list, the details, the loading bar and the footer are mounted in
            # the frame after the tree's (see _mount_panes): the first paint is the tree.
            yield Vertical(id="right")

    @property
    def topic_tree(self) -> TopicTree:
        return self.query_one(TopicTree)

    @property
    def item_list(self) -> ItemList:
        return self.query_one(ItemList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self._restore_theme()
        self._set_titles(self.catalog_path.name, f"{self.user} · loading…")
        self.topic_tree.border_title = "Topics"
        self.topic_tree.focus()
        self.run_worker(self.writer.run, thread=True, group="writer", exit_on_error=False,
                        name="store writer")
        given = self._given_catalog
        then: Callable[[], object]
        if given is not None:
            self._show_outline(given.topics, given.name)
            then = partial(self._catalog_ready, self._new_view(given))
        else:
            then = self._first_paint()
        self.call_after_refresh(
            self.run_worker, self._mount_panes(then), group="panes", exit_on_error=False
        )
        self.set_interval(self.reload_seconds, self.writer.reload, name="store reload")
        if self.handle_signals:
            self._install_signal_handlers()

    async def _mount_panes(self, then: Callable[[], object]) -> None:
        """Mount what the first paint leaves out, then carry on loading with ``then``."""
        await self.query_one("#right", Vertical).mount(
            ListHeader(id="list-header"), ItemList(id="items"), DetailPane(id="detail")
        )
        await self.mount(LoadingBar(id="loading"), Footer())
        # The footer lists keys when the bindings change; they did before it was mounted.
        self.screen.refresh_bindings()
        self.item_list.border_title = "Links"
        self.detail.border_title = "Details"
        then()

    def _install_signal_handlers(self) -> None:
        """SIGTERM / SIGHUP leave through the normal exit (the writer then drains)."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, self._exit_on_signal)

    def _exit_on_signal(self) -> None:
        self._quitting = True
        self.exit()
        # When the terminal is gone (SIGHUP), Textual can block for ever closing it (its
        # output thread's queue): once every change is written, do not outlive it.
        threading.Thread(target=self._end_if_stuck, name="exit watchdog", daemon=True).start()

    def _end_if_stuck(self) -> None:
        self.writer.stop()  # the writer finishes everything queued before it stops
        if self.writer.wait_stopped(EXIT_FLUSH_SECONDS):
            time.sleep(EXIT_GRACE_SECONDS)
            os._exit(0)

    def on_unmount(self) -> None:
        # The writer finishes what is queued, then its thread ends.
        self.writer.stop()
        self._link_stop.set()

    # -- loading ------------------------------------------------------------------------

    def _first_paint(self) -> Callable[[], object]:
        """Put the tree on screen without waiting for the full parse; returns what loads
        the rest once the other panes are mounted.

        The parse cache (pickle, no markdown parser imported) gives the whole catalog in
        milliseconds; without it, a heading-only scan gives the tree and the full parse
        runs in a thread after the first paint (which it would otherwise compete with
        for the GIL).
        """
        catalog = self._cached_catalog()
        if catalog is not None:
            self._show_outline(catalog.topics, catalog.name)
            if len(catalog.items) <= SYNC_VIEW_ITEMS:
                return lambda: self._catalog_ready(self._new_view(catalog))
            return partial(self._load_catalog, catalog)
        self._paint_outline()

        def load() -> None:
            self.query_one(LoadingBar).start()
            self._show_preview()
            self._load_catalog(None)

        return load

    def _cached_catalog(self) -> Catalog | None:
        # The cache module directly: the loader would import the markdown parser, which
        # the first paint does not need. Any problem means "no cache".
        try:
            from dlreader.catalog import cache

            data = self.catalog_path.read_bytes()
            return cache.load(cache.content_key(data, self._base_url), str(self.catalog_path))
        except Exception:
            return None

    def _paint_outline(self) -> None:
        """The tree from a heading scan (the same topic ids as the full parse)."""
        from dlreader.catalog.loader import read_list_text
        from dlreader.catalog.outline import scan_outline

        try:
            text = read_list_text(self.catalog_path)
            topics = scan_outline(text, str(self.catalog_path))
        except Exception:  # the full load reports the problem properly
            return
        # As the parse names it: the first H1, else the first heading, else the file.
        headings = [t for t in topics if t.level > 0]
        name = next((t.title for t in headings if t.level == 1),
                    headings[0].title if headings else self.catalog_path.stem)
        self._show_outline(topics, name)

    def _show_preview(self) -> None:
        """The first topic's links from a parse of the list's beginning (milliseconds), shown
        read-only until the full catalog is there: keys still say it is loading."""
        from dlreader.catalog.loader import read_list_text
        from dlreader.catalog.outline import preview_catalog

        try:
            preview = preview_catalog(read_list_text(self.catalog_path), str(self.catalog_path))
        except Exception:  # the full load reports any problem
            return
        if preview is None or self.reading is not None or self.topic_id is None:
            return
        if not preview.has_topic(self.topic_id):
            return
        view = ReadingView(preview, self.store.states())
        self.item_list.show_items(view, view.item_ids(self.topic_id, recursive=False,
                                                      filter="all", sort="list"))

    def _show_outline(self, topics: list[Topic], name: str) -> None:
        self._set_titles(display_line(name) or self.catalog_path.name, None)
        self.topic_tree.show_topics(topics, None)
        if topics:
            self.topic_id = self.topic_tree.cursor_topic_id

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def _load_catalog(self, catalog: Catalog | None) -> None:
        """The full catalog (parsed unless given) and the reading view, off the UI thread."""
        try:
            if catalog is None and self._loading is not None:
                self._loading.on_progress = self._progress_from_thread
                catalog = self._loading.result()
            elif catalog is None:
                from dlreader.catalog.loader import load_catalog

                catalog = load_catalog(self.catalog_path, progress=self._progress_from_thread,
                                       base_url=self._base_url, offload=True)
            view = self._new_view(catalog)
        except Exception as error:
            message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.post_message(CatalogFailed(message))
            return
        self.post_message(CatalogLoaded(view))

    def _progress_from_thread(self, *args: Any) -> None:
        fraction = 0.0
        if len(args) >= 2 and args[1]:
            fraction = float(args[0]) / float(args[1])
        elif len(args) == 1:
            fraction = float(args[0])
        self.post_message(LoadProgress(fraction))

    @on(LoadProgress)
    def _show_progress(self, message: LoadProgress) -> None:
        self.query_one(LoadingBar).set_progress(message.fraction)

    @on(CatalogLoaded)
    def _loaded(self, message: CatalogLoaded) -> None:
        self._catalog_ready(message.view)

    @on(CatalogFailed)
    def _load_failed(self, message: CatalogFailed) -> None:
        self.query_one(LoadingBar).stop()
        self._set_titles(None, f"{self.user} · the list could not be loaded")
        self._notify(f"The list could not be loaded: {message.message}", severity="error",
                     timeout=30)

    @property
    def _base_url(self) -> str | None:
        return self.opened.base_url if self.opened else None

    def _remember_list(self, catalog: Catalog) -> None:
        """Add the list to the library, stamped as opened now (on the writer thread)."""
        opened = self.opened
        if opened is None:
            return
        item_ids = list(catalog.items)
        self.writer.call(lambda: self.store.remember_list(
            opened.key, opened.name, opened.source, item_ids, opened=True))

    def _new_view(self, catalog: Catalog) -> ReadingView:
        """The reading view, with the items added since the user last saw the list."""
        from dlreader.library import new_item_ids

        view = ReadingView(catalog, self.store.states())
        if self.opened is not None:
            view.set_new(new_item_ids(catalog, self.store.list_record(self.opened.key)))
        return view

    def _catalog_ready(self, view: ReadingView) -> None:
        first = self.reading is None
        self.reading = view
        self._remember_list(view.catalog)
        self._set_titles(display_line(view.catalog.name) or self.title, None)
        self.query_one(LoadingBar).stop()
        self.topic_tree.set_new_counts(view.new_count)
        if first:
            self._after_first_load(view)
        self.topic_tree.adopt_topics(view.catalog.topics, view.progress)
        self.topic_id = self.topic_tree.cursor_topic_id
        self._show_topic(keep=None)
        self._update_header()
        self.add_class("-loaded")
        self.run_worker(partial(read_links, self.store.path.parent, self.post_message),
                        thread=True, group="links", exit_on_error=False, name="links.json")

    @property
    def catalog_loaded(self) -> bool:
        return self.reading is not None

    # -- showing ------------------------------------------------------------------------

    def _update_header(self) -> None:
        if self.reading is None:
            return
        read, total = self.reading.overall()
        percent = f"{100 * read / total:.0f}%" if total else "–"
        self._set_titles(None, f"{self.user} · {read}/{total} read · {percent}")

    def _set_titles(self, title: str | None, status: str | None) -> None:
        if title is not None:
            self.title = title
        if status is not None:
            self.sub_title = status
        self.query_one(TitleBar).show(self.title, self.sub_title)

    def _show_topic(self, *, keep: str | None | bool = True) -> None:
        """List the current topic's items; ``keep=True`` keeps the cursor's item."""
        view = self.reading
        if view is None or self.topic_id is None or not view.catalog.has_topic(self.topic_id):
            return
        items = self.item_list
        header = self.query_one(ListHeader)
        keep_id = items.current_item_id if keep is True else (keep or None)
        ids = view.item_ids(self.topic_id, recursive=self.recursive, filter=self.filter,
                            sort=self.sort)
        topic = view.catalog.topic(self.topic_id)
        if ids:
            empty = ""
        elif self.filter != "all":
            empty = f"No {self.filter} items here (f changes the filter)"
        elif topic.children and not self.recursive:
            empty = "No items directly under this topic (a lists its subtopics too)"
        else:
            empty = "No items"
        header.show(topic.title, recursive=self.recursive, filter=self.filter, sort=self.sort,
                    count=len(ids))
        items.show_items(view, ids, keep=keep_id, empty_message=empty)
        self._show_detail()

    def _show_detail(self) -> None:
        item_id = self.item_list.current_item_id
        if item_id != self._link_item:  # another item: o and c go to its own link again
            self._link_item, self._link_index = item_id, 0
        self.detail.show(self.reading, item_id, self.topic_id, link=self._link_index)

    def _refresh_change(self, change: Change) -> None:
        if change.topics:
            self.topic_tree.refresh_topics(change.topics)
        if change.items:
            self.item_list.refresh_items(change.items)
            if self.item_list.current_item_id in change.items:
                self._show_detail()
        self._update_header()

    @on(TopicTree.TopicHighlighted)
    def _topic_highlighted(self, message: TopicTree.TopicHighlighted) -> None:
        # The tree's cursor paints first; the topic's rows follow in the next frame, once
        # for a burst of moves (holding j does not list every topic passed over).
        if self._pending_topic is None:
            self.call_after_refresh(self._show_pending_topic)
        self._pending_topic = message.topic_id

    def _show_pending_topic(self) -> None:
        topic_id, self._pending_topic = self._pending_topic, None
        if topic_id is None:
            return
        if self.reading is None:
            # Nothing to list yet: the catalog, when it comes, lists the cursor's topic.
            self.topic_id = topic_id
            return
        if topic_id == self.topic_id and self.item_list.item_ids:
            return
        self.topic_id = topic_id
        self._show_topic(keep=None)

    @on(ItemList.ItemHighlighted)
    def _item_highlighted(self, message: ItemList.ItemHighlighted) -> None:
        # The list's two changed rows paint first; the detail pane (a re-layout) follows
        # in the next frame, once for any burst of cursor moves.
        if not self._detail_pending:
            self._detail_pending = True
            self.call_after_refresh(self._show_pending_detail)

    def _show_pending_detail(self) -> None:
        self._detail_pending = False
        self._show_detail()
        item_id = self.item_list.current_item_id
        if item_id is not None and self.item_list.has_focus:
            self._mark_seen([item_id])

    # -- what is new ----------------------------------------------------------------------

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        # Tabbing into the list highlights its current item: that is seeing it.
        if event.widget is self.query_one_optional(ItemList):
            item_id = self.item_list.current_item_id
            if item_id is not None:
                self._mark_seen([item_id])

    def _mark_seen(self, item_ids: list[str]) -> int:
        """New items the user has now seen: their marks go, and the store remembers."""
        view, opened = self.reading, self.opened
        if view is None or opened is None:
            return 0
        seen = [item_id for item_id in item_ids if view.is_new(item_id)]
        if seen:
            self._refresh_change(view.mark_seen(seen))
            self.writer.call(lambda: self.store.mark_seen(opened.key, seen))
        return len(seen)

    def action_acknowledge_new(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        count = self._mark_seen(self.reading.new_ids())
        self._notify(f"{count} new item{'' if count == 1 else 's'} marked as seen."
                     if count else "Nothing is new in this list.")

    def _after_first_load(self, view: ReadingView) -> None:
        """Say what is new, and refresh a stale remote copy in the background."""
        opened = self.opened
        if opened is None:
            return
        if opened.notice:
            self._notify(opened.notice, severity="warning", markup=False)
        new = len(view.new_ids())
        if new:
            self._notify(f"{new} new item{'' if new == 1 else 's'} since you last opened this "
                         "list (marked NEW; f shows only them, N counts all as seen).",
                         markup=False)
        if opened.remote is not None:
            self._refresh_remote(view.catalog)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_remote(self, old: Catalog) -> None:
        """Ask the server for a newer version of a copy older than a day (never before the
        first paint: this runs once the list is on screen)."""
        from dlreader.sources import remote
        from dlreader.sources.download import Unreachable

        opened = self.opened
        assert opened is not None and opened.remote is not None
        data_dir = self.store.path.parent
        facts = remote.kept_facts(opened.remote, data_dir)
        if facts is None or not remote.is_stale(facts):
            return
        try:
            outcome = remote.update(opened.remote, data_dir)
        except Unreachable as error:
            self.post_message(RemoteRefreshed(None, f"Offline: showing the copy kept on "
                                              f"{remote.when(facts.fetched)} ({error.message})"))
            return
        except Exception as error:
            message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.post_message(RemoteRefreshed(None, f"The list could not be updated: {message}"))
            return
        if not outcome.changed:
            return
        from dlreader.catalog.loader import load_catalog
        from dlreader.library import describe_changes

        try:
            catalog = load_catalog(self.catalog_path, base_url=self._base_url)
            view = self._new_view(catalog)
        except Exception as error:
            message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.post_message(RemoteRefreshed(None, f"The new version could not be read: "
                                              f"{message}"))
            return
        self.post_message(RemoteRefreshed(
            view, f"Updated to the newest version: {describe_changes(old, catalog)}."))

    @on(RemoteRefreshed)
    def _remote_refreshed(self, message: RemoteRefreshed) -> None:
        if message.view is not None:
            self._catalog_ready(message.view)
        self._notify(message.text, markup=False,
                     severity="information" if message.view else "warning")

    # -- the library of lists -------------------------------------------------------------

    def action_switch_list(self) -> None:
        if self.opened is None:
            self._notify("Lists can be switched when the app is started by dlreader.",
                         severity="warning")
            return
        from dlreader.app.screens.list_switcher import ListSwitcher

        def chosen(source: str | None) -> None:
            if source is None or self.opened is None:
                return
            if source == self.opened.source:
                self._notify("This list is open already.")
                return
            self.switch_to = source
            self.exit()

        self.push_screen(ListSwitcher(self.store, self.opened.key), chosen)

    # -- changing state -----------------------------------------------------------------

    def _current_item(self, verb: str) -> str | None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return None
        item_id = self.item_list.current_item_id
        if item_id is None:
            self._notify(f"No item to {verb} here.", severity="warning")
        return item_id

    def change(self, updates: list[ItemUpdate], label: str) -> None:
        """Show the change now, and queue it for the writer."""
        if self.reading is None or not updates:
            return
        self._refresh_change(self.reading.apply(updates))
        self.writer.submit(updates, label)

    def _set(self, item_id: str, label: str, **fields: str) -> None:
        assert self.reading is not None
        self.change(self.reading.updates_for([item_id], **fields), label)

    def action_toggle_read(self) -> None:
        item_id = self._current_item("mark")
        if item_id is None or self.reading is None:
            return
        status = "unread" if self.reading.status(item_id) == "read" else "read"
        self._set(item_id, f"mark {status}", status=status)

    def action_set_status(self, status: str) -> None:
        item_id = self._current_item("mark")
        if item_id is None or self.reading is None:
            return
        if self.reading.status(item_id) == status:
            status = "unread"  # the same key again takes it back
        self._set(item_id, f"mark {status}", status=status)

    def action_set_priority(self, priority: str) -> None:
        item_id = self._current_item("prioritise")
        if item_id is not None:
            self._set(item_id, f"priority {priority}", priority=priority)

    @on(TopicTree.MarkTopicRead)
    def _mark_topic_read(self, message: TopicTree.MarkTopicRead) -> None:
        self.mark_topic_read(message.topic_id)

    def action_mark_topic_read(self) -> None:
        if self.topic_id is not None:
            self.mark_topic_read(self.topic_id)

    def mark_topic_read(self, topic_id: str) -> None:
        view = self.reading
        if view is None:
            self._notify("The list is still loading.", severity="warning")
            return
        ids = [i for i in view.catalog.item_ids_under(topic_id, recursive=True)
               if view.status(i) != "read"]
        title = display_line(view.catalog.topic(topic_id).title)
        if not ids:
            self._notify(f"Everything under {title} is already read.", markup=False)
            return
        from dlreader.app.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.reading is view:
                self.change(view.updates_for(ids, status="read"), f"mark topic read: {title}")
                self._notify(f"Marked {len(ids)} items read (u undoes).")

        self.push_screen(
            ConfirmScreen(f"Mark {len(ids)} unread items under “{title}” read?"), answered
        )

    # -- notes --------------------------------------------------------------------------

    def action_edit_note(self) -> None:
        item_id = self._current_item("annotate")
        if item_id is None or self.reading is None:
            return
        from dlreader.app.screens.note_editor import NoteEditor

        view = self.reading
        original = view.note(item_id)

        def saved(note: str | None) -> None:
            if note is not None and note != view.note(item_id):
                self._set(item_id, "edit note", note=note)
                self._notify("Note saved." if note.strip() else "Note cleared.")

        self.push_screen(NoteEditor(view.catalog.items[item_id].title, original), saved)

    def action_edit_note_external(self) -> None:
        item_id = self._current_item("annotate")
        if item_id is None or self.reading is None:
            return
        from textual.app import SuspendNotSupported

        from dlreader.app.external_editor import EditorError, edit_in_editor, fit_for_store

        original = self.reading.note(item_id)
        try:
            with self.suspend():
                note, removed = fit_for_store(edit_in_editor(original, os.environ))
        except SuspendNotSupported:
            self._notify("This terminal cannot hand over to $EDITOR; use n.", severity="warning")
            return
        except EditorError as error:
            self._notify(str(error), severity="error", markup=False)
            return
        self.refresh()
        if note != original:
            self._set(item_id, "edit note", note=note)
            # An editor can save anything; what would reach the terminal is not kept.
            self._notify("Note saved; control characters were removed from it." if removed
                         else "Note saved.")

    # -- the link -----------------------------------------------------------------------

    def _current_url(self) -> str | None:
        """The chosen link of the highlighted item (] cycles through its links)."""
        item_id = self._current_item("use")
        if item_id is None or self.reading is None:
            return None
        urls = item_urls(self.reading.catalog.items[item_id])
        url = urls[self._link_index % len(urls)] if urls and item_id == self._link_item else \
            (urls[0] if urls else None)
        if not url:
            self._notify("This item has no link.", severity="warning")
        return url

    def action_next_link(self) -> None:
        item_id = self._current_item("use")
        if item_id is None or self.reading is None:
            return
        urls = item_urls(self.reading.catalog.items[item_id])
        if len(urls) < 2:
            self._notify("This item has no other link.", severity="information")
            return
        self._link_item = item_id
        self._link_index = (self._link_index + 1) % len(urls)
        self._show_detail()

    def action_open_url(self) -> None:
        url = self._current_url()
        if url is None or self.reading is None:
            return
        item_id = self.item_list.current_item_id
        archive = self._archived_copy(item_id) if item_id else None
        if archive is None:
            self._open(url)
            return
        from dlreader.app.screens.confirm import ConfirmScreen

        record = self.reading.link(item_id) if item_id else None
        code = f" (HTTP {record.code})" if record is not None and record.code else ""

        def answered(archived: bool | None) -> None:
            self._open(archive if archived else url)

        self.push_screen(ConfirmScreen(
            f"This link was dead when checked{code}. Open the archived copy instead?\n{archive}",
            yes="Archived copy", no="The link itself",
        ), answered)

    def action_open_archived(self) -> None:
        url = self._current_url()
        if url is None or self.reading is None or self.item_list.current_item_id is None:
            return
        from dlreader.linkhealth.display import archive_day
        from dlreader.linkhealth.records import archive_url

        record = self.reading.link(self.item_list.current_item_id)
        self._open(archive_url(url, archive_day(record, self.catalog_path)))

    def _archived_copy(self, item_id: str) -> str | None:
        from dlreader.linkhealth.display import archived_copy

        assert self.reading is not None
        item = self.reading.catalog.items[item_id]
        return archived_copy(item, self.reading.link(item_id), self.catalog_path)

    def _open(self, url: str) -> None:
        from dlreader.app.browser import open_url

        result = open_url(url)
        if result.opened:
            self._notify(f"Opened in {result.detail}: {url}", markup=False)
        elif result.detail == "not an http(s) URL":
            self._notify(f"Not opened (only http and https links open): {url}",
                         severity="warning", markup=False)
        else:
            self._notify(f"No browser to open it with. The link: {url}", severity="warning",
                         timeout=20, markup=False)

    def action_copy_url(self) -> None:
        url = self._current_url()
        if url is not None:
            self._copy(url)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy(self, url: str) -> None:
        from dlreader.app.clipboard import copy_with_pyperclip

        problem = copy_with_pyperclip(url)
        self.call_from_thread(self._copied, url, problem)

    def _copied(self, url: str, problem: str | None) -> None:
        if problem is None:
            self._notify(f"Copied to the clipboard: {url}", markup=False)
        else:
            self.copy_to_clipboard(url)
            self._notify(f"Copied through the terminal (OSC 52; no system clipboard: "
                         f"{problem}): {url}", markup=False)

    # -- finding ------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        from dlreader.app.screens.search import SearchScreen

        self.push_screen(SearchScreen(self.reading), self.jump_to)

    def jump_to(self, hit: SearchHit | None) -> None:
        view = self.reading
        if hit is None or view is None or not view.catalog.has_topic(hit.topic_id):
            return
        self.topic_id = hit.topic_id
        self.topic_tree.select_topic(hit.topic_id)
        keep: str | None = hit.item_id
        if keep is not None and keep not in view.item_ids(
            hit.topic_id, recursive=self.recursive, filter=self.filter, sort=self.sort
        ):
            self.filter = "all"  # the filter would hide what was asked for
        self._show_topic(keep=keep)
        (self.item_list if keep is not None else self.detail).focus()

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self._show_topic()
        self._notify(f"Filter: {self.filter}", timeout=2)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show_topic()
        self._notify(f"Sort: {self.sort}", timeout=2)

    def action_toggle_scope(self) -> None:
        self.recursive = not self.recursive
        self._show_topic()

    # -- link check ---------------------------------------------------------------------

    def action_check_links(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        if self._checking_links:
            self._notify("The links are being checked already.")
            return
        self._checking_links = True
        bar = self.query_one(LoadingBar)
        bar.label = "Checking links"
        bar.start()
        self._notify("Checking the links in the background…", timeout=3)
        self.run_worker(
            partial(check_links, self.reading.catalog, self.store.path.parent,
                    self._link_stop, self.post_message),
            thread=True, group="links", exit_on_error=False, name="link check",
        )

    @on(LinkProgress)
    def _link_progress(self, message: LinkProgress) -> None:
        self.query_one(LoadingBar).set_progress(message.fraction)

    @on(LinksLoaded)
    def _links_loaded(self, message: LinksLoaded) -> None:
        if message.from_check:
            self.query_one(LoadingBar).stop()
            self._checking_links = False
        if message.notice:
            self._notify(message.notice, severity=message.severity, timeout=10)
        if self.reading is not None and message.records:
            self._refresh_change(self.reading.set_links(message.records))

    # -- undo, export -------------------------------------------------------------------

    def action_undo(self) -> None:
        self.writer.undo()

    def action_redo(self) -> None:
        self.writer.redo()

    def action_export_notes(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        self._export(self.reading.catalog, self.reading.states(), self.reading.links())

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, catalog: Catalog, states: dict[str, ItemState],
                links: dict[str, LinkRecord]) -> None:
        from dlreader.export import build_export, default_export_path, write_atomically

        try:
            export = build_export(catalog, states, user=self.user, date=_dt.date.today(),
                                  links=links)
            path = default_export_path(self.user)
            write_atomically(path, export.text)
        except Exception as error:
            message = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.call_from_thread(self._notify, f"Export failed: {message}", severity="error",
                                  markup=False)
            return
        notes = f"{export.notes} note{'' if export.notes == 1 else 's'}"
        self.call_from_thread(self._notify, f"Exported {notes} to {path}", markup=False,
                              timeout=10)

    def action_help(self) -> None:
        from dlreader.app.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self._quitting = True
        await self.flush_writes()
        self.exit(0)

    async def flush_writes(self, timeout: float = 30.0) -> bool:
        """Wait (off the UI thread) until every submitted change is on disk."""
        import asyncio

        return await asyncio.to_thread(self.writer.flush, timeout)

    # -- store results ------------------------------------------------------------------

    @on(StoreReport)
    def _store_report(self, message: StoreReport) -> None:
        result = message.result
        view = self.reading
        if isinstance(result, Failed):
            self._notify(f"Not saved: {result.message}", severity="error", timeout=15,
                         markup=False)
            return
        if view is None:
            return
        if isinstance(result, Written):
            # Take the store's records (dates) unless a newer change to the item is queued.
            states = {i: s for i, s in result.states.items() if not self.writer.is_pending(i)}
            self._refresh_change(view.set_states(states))
        elif isinstance(result, Replaced):
            self._refresh_change(self._take_store_states(view, result.states))
            if result.reason in ("undo", "redo"):
                verb = "Undone" if result.reason == "undo" else "Redone"
                if result.done:
                    self._notify(f"{verb}: {result.label or 'change'}", markup=False)
                else:
                    self._notify(f"Nothing to {result.reason}.")
            elif result.reason == "reload":
                self._notify("Reloaded: the state was changed outside the app.")

    def _take_store_states(self, view: ReadingView, states: dict[str, ItemState]) -> Change:
        pending = self.writer.is_pending
        update: dict[str, ItemState | None] = {i: s for i, s in states.items() if not pending(i)}
        for item_id in view.states().keys() - states.keys():
            if not pending(item_id):
                update[item_id] = None
        return view.set_states(update)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A background task that raised: say so, keep running (workers never exit us)."""
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            what = event.worker.name or "a background task"
            self._notify(f"{what} failed: {type(error).__name__}: {error}", severity="error",
                         timeout=15)

    # -- theme, palette, notifications, crashes -----------------------------------------

    def _restore_theme(self) -> None:
        saved = settings.load_theme()
        if saved and saved in self.available_themes:
            self.theme = saved
        self._theme_restored = True

    def watch_theme(self, theme: str) -> None:
        if not self._theme_restored or theme == settings.load_theme():
            return
        try:
            settings.save_theme(theme)
        except OSError as error:
            self._notify(f"Could not remember the theme: {error}", severity="warning",
                         markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, title, help_text in PALETTE_COMMANDS:
            yield SystemCommand(title, help_text, lambda a=action: self.run_action(a))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once quitting, no key may start anything: the widgets it would use are going
        # (`q` then `n` typed quickly raised NoMatches).
        if self._quitting:
            return action == "quit"
        return not (action in MAIN_SCREEN_ACTIONS and isinstance(self.screen, ModalScreen))

    def _notify(self, message: str, *, severity: Any = "information",
                timeout: float | None = None, markup: bool = False) -> None:
        self.last_notice = message
        self.notify(message, severity=severity, timeout=timeout, markup=markup)

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: they would print notes."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()
