"""The reading screen: the tree, the links and the details of one list, and every action
on them (the keys of ``app/keys.py``). The topic, scope, filter and sort are reactives
with one watcher; the App around it owns the writer, the reload timer, signals, theme and
palette.

The first paint shows the topic tree from a heading scan (``app/loading.py``); the full
catalog loads in a thread and fills in rows and counts. Every change shows at once in the
reading state and is written by the App's single ``StoreWriter`` thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen

from dlreader.app import keys, loading
from dlreader.app.components.detail_pane import DetailPane
from dlreader.app.components.item_list import ItemList, ListHeader
from dlreader.app.components.loading_bar import loading_bar, stop_loading_bar
from dlreader.app.components.title_bar import TitleBar
from dlreader.app.components.topic_tree import TopicTree
from dlreader.app.link_check import read_links
from dlreader.app.messages import (
    CatalogFailed,
    CatalogLoaded,
    LoadProgress,
    RemoteRefreshed,
)
from dlreader.app.screens.day_actions import DayActions
from dlreader.app.screens.item_actions import ItemActions
from dlreader.app.screens.view_actions import LIST_TITLE, ViewActions
from dlreader.app.writer import Failed, Replaced, StoreWriter, Written
from dlreader.catalog.model import Catalog, Topic
from dlreader.filters import SORTS, ItemFilter, SortOrder, next_preset
from dlreader.progress import percent, topic_mark_question
from dlreader.reading import Change, ReadingState
from dlreader.store.records import ItemUpdate
from dlreader.textsafe import display_line, plural

if TYPE_CHECKING:
    from dlreader.catalog.loader import BackgroundLoad
    from dlreader.reading import SearchHit
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store

NARROW_WIDTH = 100


class ReadingScreen(ItemActions, DayActions, ViewActions, Screen[None]):
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        *keys.bindings()]

    topic_id: reactive[str | None] = reactive(None, init=False)
    recursive: reactive[bool] = reactive(False, init=False)
    item_filter: reactive[ItemFilter] = reactive(ItemFilter, init=False)
    sort: reactive[SortOrder] = reactive(SORTS[0], init=False)

    def __init__(
        self,
        catalog_path: Path,
        store: Store,
        writer: StoreWriter,
        *,
        user: str,
        opened: OpenedList | None,
        catalog: Catalog | None,
        link_stop: threading.Event,
        quitting: Callable[[], bool],
        keymap: Mapping[str, str],
        loading: BackgroundLoad | None = None,
    ) -> None:
        super().__init__()
        self.catalog_path = catalog_path
        self.store = store
        self.writer = writer
        self.user = user
        self.opened = opened
        self.reading: ReadingState | None = None
        self._given_catalog = catalog
        self._link_stop = link_stop  # ends a background link check on exit
        self._quitting = quitting
        self.keymap = dict(keymap)  # the user's keys in force (config.toml), id -> keys
        self._checking_links = False
        self._begun = loading  # the launcher's load of the catalog, if it started one
        self._link_item: str | None = None  # the item whose link ] chose, and which one
        self._link_index = 0
        self._details_later = self._detail_pending = False  # see _topic_highlighted
        self._library_stamp: Catalog | None = None  # see stamp_library
        self._load_rest: Callable[[], object] | None = None  # see _first_paint_done

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The classes the screen's first Resize would give it by HORIZONTAL_BREAKPOINTS,
        # given now: otherwise the whole first screen is styled and laid out twice.
        wide = self.app.size.width >= NARROW_WIDTH
        self.set_class(not wide, "-narrow").set_class(wide, "-wide")
        yield TitleBar(id="title-bar")
        with Horizontal(id="main"):
            yield TopicTree(id="tree", on_topic=self._topic_highlighted)
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
        self._set_titles(self.catalog_path.name, f"{self.user} · loading…")
        self.topic_tree.border_title = "Topics"
        self.topic_tree.focus()
        given = self._given_catalog
        then: Callable[[], object]
        if given is not None:
            self._show_outline(given.topics, given.name)
            then = partial(self._catalog_ready,
                           loading.reading_state(given, self.store, self.opened))
        else:
            then = self._first_paint()
        self._load_rest = then

    @on(events.ScreenResume)
    def _first_paint_done(self, event: events.ScreenResume) -> None:
        # Screen's own handler, after this one, paints the screen first and asks for a
        # repaint; the rest is mounted and loaded after it and the Resizes queued with it
        # (call_later: before that repaint, which then is the frame of the first links;
        # a worker left it to repaint the tree alone, ~7 ms, before the links' frame).
        then, self._load_rest = self._load_rest, None
        if then is not None:
            # The first resume comes straight after the mount that styled every widget:
            # restyling the whole screen again was ~7 ms before the first paint.
            event.refresh_styles = False
            self.call_later(self._mount_panes, then)

    async def _mount_panes(self, then: Callable[[], object]) -> None:
        """Mount what the first paint leaves out, then carry on loading with ``then``, in
        one frame (the empty panes drawn between the awaits were a frame of ~20 ms)."""
        with self.app.batch_update():
            await self.query_one("#right", Vertical).mount(
                ListHeader(id="list-header"),
                ItemList(id="items", on_item=self._item_highlighted),
                DetailPane(id="detail"))
            self.item_list.border_title = LIST_TITLE
            self.detail.border_title = "Details"
            # After the next frame: the first links, or the message that there are none.
            self.call_after_refresh(loading.after_first_links, self.app)
            # The footer too (Textual's, whose CSS is parsed at its first mount): its row
            # is kept free meanwhile (app.tcss).
            self.call_after_refresh(self._mount_footer)
            then()

    async def _mount_footer(self) -> None:
        from dlreader.app.components.key_footer import KeyFooter  # and Textual's Footer

        loading_bar(self)  # before the footer, as in a cold start
        await self.mount(KeyFooter())
        self.query_one("#main").styles.margin = 0
        self.refresh_bindings()  # the footer lists keys when they change: they did before

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once quitting, no key may start anything: the widgets it would use are going
        # (`q` then `n` typed quickly raised NoMatches). Under a dialog Textual already
        # ignores this screen's keys; False also keeps them out of this screen's footer,
        # which shows through (the App's q stays: it still quits).
        return not self._quitting() and self.app.screen is self

    def on_unmount(self) -> None:
        self._link_stop.set()
        if self._begun is not None:
            self._begun.abandon()  # a quit while a big list parses does not wait for it

    def _notify(self, message: str, *, severity: Any = "information",
                timeout: float | None = None, markup: bool = False) -> None:
        self.app.notify(message, severity=severity, timeout=timeout, markup=markup)

    # -- loading ------------------------------------------------------------------------

    def _first_paint(self) -> Callable[[], object]:
        """Put the tree on screen without waiting for the full parse; returns what loads
        the rest once the other panes are mounted (see app/loading.py)."""
        catalog = loading.cached_catalog(self.catalog_path, self._base_url)
        if catalog is not None:
            self._show_outline(catalog.topics, catalog.name)
            if len(catalog.items) <= loading.SYNC_STATE_ITEMS:
                return lambda: self._catalog_ready(
                    loading.reading_state(catalog, self.store, self.opened), first_rows=True)
            # Its reading state takes a second on the seed x100: the first topic's links
            # show from the cached catalog meanwhile (they came later than a cold start's).
            return lambda: self._preview_then_load(
                loading.topic_preview(catalog, self.topic_id), catalog)
        found = loading.outline(self.catalog_path, self._begun)
        if found is not None:
            self._show_outline(*found)

        def load() -> None:
            loading_bar(self).start()
            self._preview_then_load(loading.preview(self.catalog_path, self._begun), None)

        return load

    def _preview_then_load(self, preview: Catalog | None, catalog: Catalog | None) -> None:
        """Show ``preview``'s links, then load after their frame: the load's start in this
        process (a parse's reading and splitting, a reading state) would share the
        interpreter with that paint and delay it. Without a preview, load at once."""
        self.detail.show_loading()
        if self._show_preview(preview):
            self.call_after_refresh(self._load_catalog, catalog)
        else:
            self._load_catalog(catalog)

    def _show_preview(self, preview: Catalog | None) -> bool:
        """The first topic's links from ``preview`` (a parse of the list's beginning, or
        the cached catalog cut down to that topic), shown read-only until the reading
        state is there: keys still say it is loading. Were they shown?"""
        if preview is None or self.reading is not None or self.topic_id is None:
            return False
        if not preview.has_topic(self.topic_id):
            return False
        state = ReadingState(preview, self.store.states())
        self.item_list.show_items(state, state.item_ids(self.topic_id, recursive=False,
                                                        filter="all", sort="list"))
        return True

    def _show_outline(self, topics: list[Topic], name: str) -> None:
        self._set_titles(display_line(name) or self.catalog_path.name, None)
        self.topic_tree.show_topics(topics, None)
        if topics:
            self.set_reactive(ReadingScreen.topic_id, self.topic_tree.cursor_topic_id)

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def _load_catalog(self, catalog: Catalog | None) -> None:
        """The full catalog (parsed unless given) and the reading state, off the UI thread."""
        try:
            if catalog is None:
                catalog = loading.full_catalog(
                    self.catalog_path, self._base_url,
                    self._progress_from_thread, begun=self._begun)
            state = loading.reading_state(catalog, self.store, self.opened)
        except Exception as error:
            self.post_message(CatalogFailed(loading.error_text(error)))
            return
        self.post_message(CatalogLoaded(state))

    def _progress_from_thread(self, fraction: float) -> None:
        self.post_message(LoadProgress(fraction))

    @on(LoadProgress)
    def _show_progress(self, message: LoadProgress) -> None:
        loading_bar(self).fraction = message.fraction

    @on(CatalogLoaded)
    def _loaded(self, message: CatalogLoaded) -> None:
        self._catalog_ready(message.state)

    @on(CatalogFailed)
    def _load_failed(self, message: CatalogFailed) -> None:
        stop_loading_bar(self)
        self._set_titles(None, f"{self.user} · the list could not be loaded")
        self._notify(f"The list could not be loaded: {message.message}", severity="error",
                     timeout=30)

    @property
    def _base_url(self) -> str | None:
        return self.opened.base_url if self.opened else None

    def _catalog_ready(self, state: ReadingState, *, first_rows: bool = False) -> None:
        """``first_rows``: the frame this fills is the one that first shows the links (a
        start from the parse cache), else a preview or an outline showed them."""
        first = self.reading is None
        self.reading = state
        self._library_stamp = state.catalog
        if first_rows:
            # After that frame (or on leaving): the writer's lock, JSON, fsync and hourly
            # backup would share the interpreter with the paint they delay.
            self.call_after_refresh(self.stamp_library)
        else:
            self.stamp_library()
        self._set_titles(display_line(state.catalog.name) or self.app.title, None)
        stop_loading_bar(self)
        self.topic_tree.set_new_counts(state.new_count)
        if first:
            self._after_first_load(state)
        self.topic_tree.adopt_topics(state.catalog.topics, state.progress,
                                     counts_later=first_rows)
        self.set_reactive(ReadingScreen.topic_id, self.topic_tree.cursor_topic_id)
        with self._rows_first(first_rows):  # the first links, then their details
            if not (first and self.resume(state)):
                self._show_topic(keep=None)
        self._update_header()
        self.run_worker(partial(read_links, self.store.path.parent, self.post_message),
                        thread=True, group="links", exit_on_error=False, name="links.json")

    @property
    def catalog_loaded(self) -> bool:  # the reading state, and the tree's counts with it
        return self.reading is not None and self.topic_tree.shows_progress

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_remote(self, old: Catalog) -> None:
        assert self.opened is not None
        message = loading.refresh_remote(old, self.catalog_path, self.store, self.opened)
        if message is not None:
            self.post_message(message)

    @on(RemoteRefreshed)
    def _remote_refreshed(self, message: RemoteRefreshed) -> None:
        if message.state is not None:
            self._catalog_ready(message.state)
        self._notify(message.text, markup=False,
                     severity="information" if message.state else "warning")

    # -- showing ------------------------------------------------------------------------

    def _navigation_changed(self) -> None:
        """The one watcher of scope, filter and sort: list the topic again, keeping the
        cursor's item. (A new topic is listed by whoever moved there: it chooses which
        item the cursor lands on.)"""
        self._show_topic()

    watch_recursive = watch_item_filter = watch_sort = _navigation_changed

    def _update_header(self) -> None:
        if self.reading is None:
            return
        done, total = self.reading.overall()
        share = f"{percent(done, total)}%" if total else "–"
        self._set_titles(None, f"{self.user} · {done}/{total} done · {share}")

    def _set_titles(self, title: str | None, status: str | None) -> None:
        self.query_one(TitleBar).set_titles(title, status)

    def _show_topic(self, *, keep: str | None | bool = True) -> None:
        """List the current topic's items; ``keep=True`` keeps the cursor's item."""
        view = self.reading
        if view is None or self.topic_id is None or not view.catalog.has_topic(self.topic_id):
            return
        items = self.item_list
        header = self.query_one(ListHeader)
        keep_id = items.current_item_id if keep is True else (keep or None)
        ids = view.item_ids(self.topic_id, recursive=self.recursive, filter=self.item_filter,
                            sort=self.sort)
        topic = view.catalog.topic(self.topic_id)
        if ids:
            empty = ""
        elif not self.item_filter.is_all:
            empty = f"No items here are {self.filter} (f or F changes the filter)"
        elif topic.children and not self.recursive:
            empty = "No items directly under this topic (a lists its subtopics too)"
        else:
            empty = "No items"
        header.shown = (topic.title, self.recursive, self.filter, self.sort, len(ids))
        if self.maximized is not None:
            self.title_zoomed_list()
        items.show_items(view, ids, keep=keep_id, empty_message=empty,  # and its details
                         topic_of=self._topic_titles(view) if self.recursive and
                         topic.children else None)

    def _show_detail(self) -> None:
        item_id = self.item_list.current_item_id
        if item_id != self._link_item:  # another item: o and c go to its own link again
            self._link_item, self._link_index = item_id, 0
        self.detail.show(self.reading, item_id, self._item_topic(item_id), link=self._link_index)

    def _refresh_change(self, change: Change) -> None:
        if change.topics:
            self.topic_tree.refresh_topics(change.topics)
        if change.items:
            self.item_list.refresh_items(change.items)
            if self.item_list.current_item_id in change.items:
                self._show_detail()
        self._update_header()

    def _topic_highlighted(self, topic_id: str) -> None:
        """The tree's cursor is on ``topic_id``: list it (in the cursor's frame)."""
        if self.reading is None:
            # Nothing to list yet: the catalog, when it comes, lists the cursor's topic.
            self.set_reactive(ReadingScreen.topic_id, topic_id)
            return
        if topic_id == self.topic_id and self.item_list.item_ids:
            return
        self.set_reactive(ReadingScreen.topic_id, topic_id)
        with self._rows_first():
            self._show_topic(keep=None)

    @contextmanager
    def _rows_first(self, later: bool = True) -> Iterator[None]:
        """The rows paint with the cursor; the details (a re-layout of the screen, half
        of that frame's work) follow in the next frame, once for a burst of moves."""
        self._details_later = later
        try:
            yield
        finally:
            self._details_later = False

    def _item_highlighted(self, item_id: str | None) -> None:
        """The list's cursor is on ``item_id``: its details, and it is seen."""
        if self._details_later:
            if not self._detail_pending:
                self._detail_pending = True
                self.call_after_refresh(self._show_pending_detail)
            return
        self._show_detail()
        if item_id is not None and self.item_list.has_focus:
            self._mark_seen([item_id])

    def _show_pending_detail(self) -> None:
        self._detail_pending = False
        self._item_highlighted(self.item_list.current_item_id)

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
        self._notify(f"{plural(count, 'new item')} marked as seen."
                     if count else "Nothing is new in this list.")

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

    def _set(self, item_id: str, label: str, **fields: Any) -> None:
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
        under = view.catalog.item_ids_under(topic_id, recursive=True)
        # Skipped items stay skipped: the user decided on them (issue #12 item 5).
        ids = [i for i in under if view.status(i) in ("unread", "reading")]
        title = display_line(view.catalog.topic(topic_id).title)
        if not ids:
            self._notify(f"Everything under {title} is already done.", markup=False)
            return
        from dlreader.app.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.reading is view:
                self.change(view.updates_for(ids, status="read"), f"mark topic read: {title}")
                self._notify(f"Marked {len(ids)} items read (u undoes).")

        question = topic_mark_question(map(view.status, under), title)
        self.app.push_screen(ConfirmScreen(question), answered)

    # -- finding ------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        from dlreader.app.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.reading, topic_id=self.topic_id), self.jump_to)

    def jump_to(self, hit: SearchHit | None) -> None:
        view = self.reading
        if hit is None or view is None or not view.catalog.has_topic(hit.topic_id):
            return
        self.set_reactive(ReadingScreen.topic_id, hit.topic_id)
        self.topic_tree.select_topic(hit.topic_id)
        keep: str | None = hit.item_id
        if keep is not None and keep not in view.item_ids(
            hit.topic_id, recursive=self.recursive, filter=self.item_filter, sort=self.sort
        ):
            # The filter would hide what was asked for (set without the watcher: the
            # topic is listed once, below, with the cursor on the hit).
            self.set_reactive(ReadingScreen.item_filter, ItemFilter())
        self._show_topic(keep=keep)
        (self.item_list if keep is not None else self.detail).focus()

    def action_cycle_filter(self) -> None:
        self.item_filter = next_preset(self.item_filter)
        self._notify(f"Filter: {self.filter}", timeout=2)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._notify(f"Sort: {self.sort}", timeout=2)

    def action_toggle_scope(self) -> None:
        self.recursive = not self.recursive

    # -- undo, export -------------------------------------------------------------------

    def action_undo(self) -> None:
        self.writer.undo()

    def action_redo(self) -> None:
        self.writer.redo()

    # -- store results ------------------------------------------------------------------

    @on(Failed)
    def _not_saved(self, message: Failed) -> None:
        self._notify(f"Not saved: {message.message}", severity="error", timeout=15,
                     markup=False)

    @on(Written)
    def _written(self, message: Written) -> None:
        # Take the store's records (dates) unless a newer change to the item is queued.
        if self.reading is not None:
            states = {i: s for i, s in message.states.items() if not self.writer.is_pending(i)}
            self._refresh_change(self.reading.set_states(states))

    @on(Replaced)
    def _replaced(self, message: Replaced) -> None:
        if self.reading is None:
            return
        self._refresh_change(self.reading.replace_states(message.states,
                                                         keep=self.writer.is_pending))
        if message.reason in ("undo", "redo"):
            if message.done:
                self.announce_undo(message.reason, message.label, message.items)
            else:
                self._notify(f"Nothing to {message.reason}.")
        elif message.reason == "reload":
            self._notify("Reloaded: the state was changed outside the app.")
