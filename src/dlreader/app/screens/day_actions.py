"""The reading screen's actions of issue #12: the queue (Q), stats (S), the filter dialog
(F), tags (t), own titles (T), O (open and mark reading), going to an item, resuming
where the user left the list, what is new since the last visit, and the library of lists
(L switches lists; the "opened" stamp). Mixed into ``ReadingScreen``
(app/screens/reading.py), which holds the state they use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dlreader.app.messages import SwitchList
from dlreader.errors import UsageError
from dlreader.filters import ItemFilter, SortOrder, preset
from dlreader.resume import Pane, ResumePoint, nearest, nearest_topic
from dlreader.textsafe import display_line, plural

if TYPE_CHECKING:
    from textual.screen import Screen

    from dlreader.app.components.detail_pane import DetailPane
    from dlreader.app.components.item_list import ItemList
    from dlreader.app.components.topic_tree import TopicTree
    from dlreader.app.writer import StoreWriter
    from dlreader.catalog.model import Catalog
    from dlreader.reading import ReadingState
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store

    class _ReadingScreenPart(Screen[None]):
        """What these actions use of the reading screen."""

        reading: ReadingState | None
        _library_stamp: Catalog | None
        store: Store
        writer: StoreWriter
        opened: OpenedList | None
        topic_id: str | None
        recursive: bool
        item_filter: ItemFilter
        sort: SortOrder

        @property
        def item_list(self) -> ItemList: ...
        @property
        def topic_tree(self) -> TopicTree: ...
        @property
        def detail(self) -> DetailPane: ...
        def _current_item(self, verb: str) -> str | None: ...
        def _set(self, item_id: str, label: str, **fields: Any) -> None: ...
        def _show_topic(self, *, keep: str | None | bool = True) -> None: ...
        def _notify(self, message: str, *, severity: Any = "information",
                    timeout: float | None = None, markup: bool = False) -> None: ...
        def action_open_url(self) -> None: ...
        def _refresh_remote(self, old: Catalog) -> Any: ...  # a @work: returns its Worker
else:
    _ReadingScreenPart = object


class DayActions(_ReadingScreenPart):
    @property  # type: ignore[misc]
    def filter(self) -> str:
        """The filter in words (a preset's name, or its facets)."""
        return self.item_filter.describe()

    @filter.setter
    def filter(self, name: str) -> None:
        self.item_filter = preset(name)

    def _item_topic(self, item_id: str | None) -> str | None:
        """The topic whose prose Details shows: the item's own (with subtopics listed, the
        first of its topics under the current one), else the current topic."""
        if self.reading is None or item_id is None:
            return self.topic_id
        return self.reading.home_topic(item_id, self.topic_id)

    def _topic_titles(self, view: ReadingState) -> Callable[[str], str]:
        """Each row's own topic, for a list across topics (with subtopics): its path below
        the listed topic (``Quantum › Born Machine``); "" for the listed topic's own items
        (the header names it: the rows from subtopics stand out)."""
        within = self.topic_id
        depth = len(view.catalog.path(within)) if within is not None else 0

        def title(item_id: str) -> str:
            topic_id = view.home_topic(item_id, within)
            if topic_id is None or topic_id == within:
                return ""
            below = view.catalog.path(topic_id)[depth:] or view.catalog.path(topic_id)
            return " › ".join(display_line(topic.title) for topic in below)

        return title

    # -- the queue, stats, filters --------------------------------------------------------

    def _loaded_state(self) -> ReadingState | None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
        return self.reading

    def action_queue(self) -> None:
        view = self._loaded_state()
        if view is None:
            return
        from dlreader.app.screens.queue import QueueChoice, QueueScreen

        def chosen(choice: QueueChoice | None) -> None:
            if choice is None or self.reading is not view:
                return
            self.go_to_item(choice.item_id)
            if choice.open_link:
                self.action_open_and_read()

        self.app.push_screen(QueueScreen(view), chosen)

    def action_stats(self) -> None:
        view = self._loaded_state()
        if view is not None:
            from dlreader.app.screens.stats import StatsScreen

            self.app.push_screen(StatsScreen(view))

    def action_filter_dialog(self) -> None:
        from dlreader.app.screens.filter_dialog import FilterDialog

        def chosen(found: ItemFilter | None) -> None:
            if found is not None:
                self.item_filter = found
                self._notify(f"Filter: {self.filter}", timeout=2)

        self.app.push_screen(FilterDialog(self.item_filter), chosen)

    def go_to_item(self, item_id: str) -> None:
        """The cursor on the item: here if the current topic lists it, else in its first
        topic (showing everything if the filter would hide it); the list gets the focus."""
        view = self.reading
        if view is None or item_id not in view.catalog.items:
            return
        topics = view.catalog.items[item_id].topics
        if not topics:
            return
        if self.topic_id is None or item_id not in view.item_ids(
                self.topic_id, recursive=self.recursive, filter=self.item_filter):
            topic_id = topics[0]
            self.set_reactive(type(self).topic_id, topic_id)  # type: ignore[arg-type]
            self.topic_tree.select_topic(topic_id)
            if item_id not in view.item_ids(topic_id, recursive=self.recursive,
                                             filter=self.item_filter):
                self.set_reactive(type(self).item_filter, ItemFilter())  # type: ignore[arg-type]
        self._show_topic(keep=item_id)
        self.item_list.focus()

    # -- the highlighted item -------------------------------------------------------------

    def action_open_and_read(self) -> None:
        """O: open the link and mark the item reading (unless it is done already)."""
        item_id = self._current_item("open")
        if item_id is None or self.reading is None:
            return
        if self.reading.status(item_id) == "unread":
            self._set(item_id, "mark reading", status="reading")
        self.action_open_url()

    def action_edit_tags(self) -> None:
        item_id = self._current_item("tag")
        view = self.reading
        if item_id is None or view is None:
            return
        from dlreader.app.screens.text_prompt import TextPrompt
        from dlreader.tags import parse_tags

        state = view.state(item_id)
        current = list(state.tags) if state is not None else []

        def entered(text: str | None) -> None:
            if text is None or self.reading is not view:
                return
            try:
                wanted = parse_tags(text)
            except UsageError as error:
                self._notify(f"Tags not changed: {error.message}", severity="warning")
                return
            add = tuple(tag for tag in wanted if tag not in current)
            remove = tuple(tag for tag in current if tag not in wanted)
            if add or remove:
                self._set(item_id, "tags", add_tags=add, remove_tags=remove)
                self._notify("Tags: " + (" ".join(f"#{tag}" for tag in wanted) or "none"))

        title = display_line(view.catalog.items[item_id].title)
        self.app.push_screen(TextPrompt(
            f"Tags for “{title}”", " ".join(current), placeholder="e.g. optim to-reread",
            hint="Separate tags with spaces or commas; Enter saves, Esc cancels"), entered)

    def action_edit_title(self) -> None:
        item_id = self._current_item("retitle")
        view = self.reading
        if item_id is None or view is None:
            return
        from dlreader.app.screens.text_prompt import TextPrompt
        from dlreader.tags import clean_title

        item = view.catalog.items[item_id]
        state = view.state(item_id)
        current = state.own_title if state is not None else ""

        def entered(text: str | None) -> None:
            if text is None or self.reading is not view:
                return
            try:
                title = clean_title(text)
            except UsageError as error:
                self._notify(f"Title not changed: {error.message}", severity="warning")
                return
            if title != current:
                self._set(item_id, "retitle" if title else "title reset", own_title=title)

        self.app.push_screen(TextPrompt(
            f"Your title (the list says “{display_line(item.title)}”)", current,
            hint="Empty gives the list's title back; Enter saves, Esc cancels"), entered)

    # -- undo that names and goes ---------------------------------------------------------

    def announce_undo(self, reason: str, label: str, item_ids: tuple[str, ...]) -> None:
        """``Undone: mark read — “Title”`` (what was undone or redone, on which item), and
        the cursor goes there."""
        verb = "Undone" if reason == "undo" else "Redone"
        self._notify(f"{verb}: {label or 'change'}{self.naming(item_ids)}", markup=False)
        self.go_to_changed(item_ids)

    def naming(self, item_ids: tuple[str, ...]) -> str:
        """`` — “Title”`` (and how many more) for an undo/redo notice."""
        view = self.reading
        known = [i for i in item_ids if view is not None and i in view.catalog.items]
        if view is None or not known:
            return ""
        state = view.state(known[0])
        title = view.catalog.items[known[0]].title
        title = display_line(state.shown_title(title) if state is not None else title)
        more = f" and {len(known) - 1} more" if len(known) > 1 else ""
        return f" — “{title}”{more}"

    def go_to_changed(self, item_ids: tuple[str, ...]) -> None:
        """After undo/redo: the cursor goes to the (first) item it changed."""
        view = self.reading
        known = [i for i in item_ids if view is not None and i in view.catalog.items]
        if known and self.item_list.current_item_id != known[0]:
            self.go_to_item(known[0])

    # -- what is new ----------------------------------------------------------------------

    def _after_first_load(self, state: ReadingState) -> None:
        """Say what is new, and refresh a stale remote copy in the background."""
        opened = self.opened
        if opened is None:
            return
        if opened.notice:
            self._notify(opened.notice, severity="warning", markup=False)
        new = len(state.new_ids())
        if new:
            self._notify(f"{plural(new, 'new item')} since you last opened this "
                         "list (marked NEW; f shows only them, N counts all as seen).",
                         markup=False)
        if opened.remote is not None:
            # After the frame this is called in (the first links'): the refresh's thread
            # imports httpx, ~20 ms of the interpreter the paint would wait for.
            self.call_after_refresh(self._refresh_remote, state.catalog)

    # -- resume ---------------------------------------------------------------------------

    def resume_point(self) -> ResumePoint:
        """Where the user is: what the next start of this list opens at."""
        items = self.query_one_optional("#items")
        item_id = self.item_list.current_item_id if items is not None else None
        ids = list(self.item_list.item_ids) if items is not None else []
        focused = self.focused
        pane: Pane = ("items" if items is not None and focused is items
                else "detail" if focused is not None and focused is
                self.query_one_optional("#detail") else "tree")
        parents: tuple[str, ...] = ()
        if self.reading is not None and self.topic_id is not None and \
                self.reading.catalog.has_topic(self.topic_id):
            parents = tuple(t.id for t in self.reading.catalog.path(self.topic_id)[:-1])
        return ResumePoint(self.topic_id, parents, item_id,
                           ids.index(item_id) if item_id in ids else 0, self.recursive,
                           self.item_filter, self.sort, pane)

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
            self.post_message(SwitchList(source))

        self.app.push_screen(ListSwitcher(self.store, self.opened.key), chosen)

    def stamp_library(self) -> None:
        """Queue the list's library record (added, stamped as opened now) for the writer,
        if the catalog's arrival left it to do (ReadingScreen._catalog_ready)."""
        catalog, self._library_stamp = self._library_stamp, None
        opened = self.opened
        if catalog is None or opened is None:
            return
        item_ids = list(catalog.items)
        self.writer.call(lambda: self.store.remember_list(
            opened.key, opened.name, opened.source, item_ids, opened=True))

    def save_resume_point(self) -> None:
        """Queue the resume point for the writer (quit flushes it to disk)."""
        opened = self.opened
        if opened is None or self.reading is None:
            return
        point = self.resume_point().to_dict()
        self.writer.call(lambda: self.store.set_resume(opened.key, point))

    def resume(self, view: ReadingState) -> bool:
        """Open where the user left this list (the store's record, already in memory: the
        first paint did not wait for it). False when there is nothing to resume."""
        record = self.store.list_record(self.opened.key) if self.opened is not None else None
        if record is None or not record.resume:
            return False
        point = ResumePoint.from_dict(record.resume)
        topic_id = nearest_topic(point, view.catalog.has_topic)
        if topic_id is None:
            return False
        cls = type(self)
        # Set without the watchers: the topic is listed once, below, with the cursor.
        self.set_reactive(cls.recursive, point.recursive)  # type: ignore[arg-type]
        self.set_reactive(cls.item_filter, point.filter)  # type: ignore[arg-type]
        self.set_reactive(cls.sort, point.sort)  # type: ignore[arg-type]
        self.set_reactive(cls.topic_id, topic_id)  # type: ignore[arg-type]
        self.topic_tree.select_topic(topic_id)
        ids = view.item_ids(topic_id, recursive=point.recursive, filter=point.filter,
                            sort=point.sort)
        self._show_topic(keep=nearest(ids, point.item, point.item_index))
        if point.pane == "items" and ids:
            self.item_list.focus()
        elif point.pane == "detail":
            self.detail.focus()
        return True
