"""The link list: one row per item, drawn with the Line API so only visible rows cost.

A ``ScrollView`` whose virtual height is the number of items; ``render_line`` formats
the row under each visible line on demand, so 10,000 rows scroll like 10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from dlreader.app.components.pass_style import StyleOncePerPass
from dlreader.linkhealth.display import shown_title
from dlreader.reading import domain_of
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.reading import ReadingState

STATUS_MARKS = {"unread": ("·", "grey50"), "reading": ("▸", "bold yellow"),
                "read": ("✓", "green"), "skipped": ("✗", "grey42")}
PRIORITY_MARKS = {"high": ("↑", "bold red"), "medium": ("→", "yellow"),
                  "low": ("↓", "blue"), "none": (" ", "")}
NOTE_MARK = ("✎", "magenta")
NEW_MARK = ("NEW", "bold cyan")  # added since the user last saw the list
# Only trouble is marked (ok and unchecked rows look as before): the link's status.
LINK_MARKS = {"dead": ("✗ dead", "bold red"), "moved": ("↪ moved", "yellow"),
              "blocked": ("⊘ blocked", "grey50")}
FETCHED_MARK = "~"  # before a page title dlreader fetched (the list gave only the URL)
DOMAIN_WIDTH = 22
TOPIC_WIDTH = 24  # the most a row gives its item's topic (in a list across topics)


def item_row(view: ReadingState, item_id: str, width: int, *, where: str | None = None) -> Text:
    """One row: status, priority, note marks, title, ``where`` (the item's topic, in a
    list across topics), domain, "also in N"."""
    item = view.catalog.items[item_id]
    status = view.status(item_id)
    mark, mark_style = STATUS_MARKS.get(status, STATUS_MARKS["unread"])
    priority, priority_style = PRIORITY_MARKS.get(view.priority(item_id), (" ", ""))
    noted = bool(view.note(item_id).strip())
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f" {mark} ", style=mark_style)
    row.append(priority, style=priority_style)
    row.append(f" {NOTE_MARK[0] if noted else ' '} ", style=NOTE_MARK[1])
    tail = Text(no_wrap=True)
    if where:
        room = max(8, min(TOPIC_WIDTH, width // 5))
        label = Text(f"  in {where}", style="dim cyan", no_wrap=True)
        label.truncate(room + 5, overflow="ellipsis")
        tail.append_text(label)
    also = view.also_in(item_id)
    domain = domain_of(item.url)
    if domain:
        if len(domain) > DOMAIN_WIDTH:
            domain = domain[: DOMAIN_WIDTH - 1] + "…"
        tail.append(" " + domain, style="dim")
    state = view.state(item_id)
    if state is not None and state.tags:
        tags = " ".join(f"#{display_line(tag)}" for tag in state.tags[:3])
        tail.append(f"  {tags}{'…' if len(state.tags) > 3 else ''}", style="magenta")
    if also:
        tail.append(f"  also in {also}", style="cyan")
    if view.is_new(item_id):
        tail.append(f" {NEW_MARK[0]}", style=NEW_MARK[1])
    link_mark = LINK_MARKS.get(view.link_status(item_id))
    if link_mark:
        tail.append(f"  {link_mark[0]}", style=link_mark[1])
    tail.append(" ")
    title_width = max(4, width - row.cell_len - tail.cell_len)
    # The user's own title wins over the list's and a fetched one.
    shown, fetched = ((state.own_title, False) if state is not None and state.own_title
                      else shown_title(item, view.link(item_id)))
    style = "dim" if status in ("read", "skipped") else ""
    words = display_line(shown) or display_line(item.url or "") or "(untitled)"
    if fetched:
        title = Text(FETCHED_MARK, style=f"{style} italic".strip())
        title.append(words)
    else:
        title = Text(words, style=style)
    if item.description:
        title.append("  " + display_line(item.description), style="dim")
    title.truncate(title_width, overflow="ellipsis", pad=True)
    row.append_text(title)
    row.append_text(tail)
    return row


# Below this much room for the title (most topic titles are shorter) the state switches
# to its compact wording; the wording depends on the width, not on the topic.
HEADER_MIN_TITLE = 24


def header_state(*, recursive: bool, filter: str, sort: str, count: int,
                 compact: bool = False) -> Text:
    """The header's right part: count, scope, filter, sort (``compact``: shorter words)."""
    gap = " · " if compact else "  ·  "
    text = Text(no_wrap=True)
    text.append(f"{' ' if compact else '  '}{count} item{'s' if count != 1 else ''}",
                style="dim")
    text.append(gap, style="dim")
    if compact:
        text.append("+ subtopics" if recursive else "this topic")
    else:
        text.append("with subtopics" if recursive else "this topic only")
    text.append(f"{gap}filter: {filter}{gap}sort: {sort}", style="dim")
    return text


def header_text(title: str, *, recursive: bool, filter: str, sort: str, count: int,
                width: int) -> Text:
    """The header line in ``width`` cells: the title gives way first, so the state (what
    f, s and a just changed) stays whole down to about 65 cells (its longest compact form)."""
    state = header_state(recursive=recursive, filter=filter, sort=sort, count=count)
    if width - state.cell_len < HEADER_MIN_TITLE:
        state = header_state(recursive=recursive, filter=filter, sort=sort, count=count,
                             compact=True)
    heading = Text(display_line(title), style="bold", no_wrap=True)
    room = max(1, width - state.cell_len)
    if heading.cell_len > room:
        heading.truncate(room, overflow="ellipsis")
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append_text(heading)
    line.append_text(state)
    return line


class ListHeader(Widget):
    """The line above the list: topic, count, scope, filter and sort (repainted, never
    re-laid out: it is one line). Laid out in ``render``, which knows the width."""

    DEFAULT_CSS = """
    ListHeader {
        height: 1;
    }
    """

    #: What the line says: (topic title, recursive, filter, sort, count); a change repaints.
    shown: reactive[tuple[str, bool, str, str, int] | None] = reactive(None)

    def render(self) -> Text:
        return self.line(self.size.width)

    def line(self, width: int) -> Text:
        """What the header says, in ``width`` cells."""
        if self.shown is None:
            return Text()
        title, recursive, filter, sort, count = self.shown
        return header_text(title, recursive=recursive, filter=filter, sort=sort, count=count,
                           width=width)


class ItemList(StyleOncePerPass, ScrollView, can_focus=True):
    """The items of the highlighted topic; ``cursor`` is the highlighted row."""

    # Rows are cut to the pane's width: nothing to scroll sideways, so no horizontal
    # scrollbar band under the rows (it showed once the vertical one took a column).
    DEFAULT_CSS = """
    ItemList {
        overflow-x: hidden;
    }
    """

    BINDINGS: ClassVar = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        # The key table's toggle_read (its id: a user's keymap moves this one too).
        Binding("space", "screen.toggle_read", "Read", id="toggle_read"),
        Binding("enter", "screen.open_url", "Open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar = {"item-list--cursor", "item-list--empty"}

    # No repaint on change: watch_cursor redraws just the two rows that changed.
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None,
                 on_item: Callable[[str | None], None] | None = None) -> None:
        # Called as the cursor lands on an item (None: the list is empty), within the
        # key's own handling, so the details change in the frame of the moved rows (see
        # TopicTree's on_topic).
        self._on_item = on_item
        super().__init__(id=id)
        self.view: ReadingState | None = None
        self.item_ids: list[str] = []
        self.empty_message = "Loading…"
        # In a list across topics: the title of each row's own topic (None: one topic).
        self.topic_of: Callable[[str], str] | None = None

    # -- content --------------------------------------------------------------------------

    def show_items(self, view: ReadingState | None, item_ids: Sequence[str],
                   *, keep: str | None = None, empty_message: str = "No items",
                   topic_of: Callable[[str], str] | None = None) -> None:
        """Show these rows; the cursor stays on ``keep`` if it is among them; with
        ``topic_of`` each row says its item's topic."""
        self.view = view
        self.topic_of = topic_of
        self.item_ids = list(item_ids)
        self.empty_message = empty_message
        self._set_rows(len(self.item_ids))
        index = self.item_ids.index(keep) if keep is not None and keep in self.item_ids else 0
        top = max(0, index - self.size.height // 2) if keep is not None else 0
        self.scroll_to(y=top, animate=False, immediate=True)
        self.cursor = index
        self.refresh()

    def _set_rows(self, count: int) -> None:
        # The virtual height without the reactive's layout of the whole screen: each
        # new topic re-laid out every pane and scroll bar (~60% of a topic move's frame
        # on the seed x100). The scroll bar is updated as a layout would; only its
        # showing or hiding (which changes the rows' width) still asks for a layout.
        size = Size(self.size.width, count)
        if size == self.virtual_size:
            return
        self.set_reactive(ItemList.virtual_size, size)
        self._scroll_update(size)

    @property
    def current_item_id(self) -> str | None:
        if 0 <= self.cursor < len(self.item_ids):
            return self.item_ids[self.cursor]
        return None

    def refresh_items(self, item_ids: set[str] | frozenset[str]) -> None:
        """Redraw just the visible rows showing these items."""
        top = self.scroll_offset.y
        for y in range(self.size.height):
            row = top + y
            if row < len(self.item_ids) and self.item_ids[row] in item_ids:
                self.refresh_lines(y, 1)

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.item_ids) - 1)) if self.item_ids else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_lines(old - self.scroll_offset.y, 1)
        self.refresh_lines(new - self.scroll_offset.y, 1)
        if self.item_ids:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True,
                                  force=True)
        if self._on_item is not None and self.view is not None:  # not the mount's call
            self._on_item(self.current_item_id)

    def on_resize(self, event: events.Resize) -> None:
        # As a new topic does (the compositor repaints a resized widget): through the
        # reactive, the list's first Resize, just after the first links, re-laid out the
        # screen and rendered every row again (~8 ms) before their details could come.
        self._set_rows(len(self.item_ids))

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = self.scroll_offset.y + y
        base = self.rich_style
        if not self.item_ids:
            # The message wraps: at 80 columns the list pane is ~60 cells wide.
            lines = Text(self.empty_message, style=self.get_component_rich_style(
                "item-list--empty")).wrap(self.app.console, max(1, width - 3))
            if y < len(lines):
                text = Text("  ").append_text(lines[y])
                return Strip(text.render(self.app.console), text.cell_len).adjust_cell_length(
                    width, base).apply_style(base)
            return Strip.blank(width, base)
        if row >= len(self.item_ids) or self.view is None:
            return Strip.blank(width, base)
        item_id = self.item_ids[row]
        where = self.topic_of(item_id) if self.topic_of is not None else None
        text = item_row(self.view, item_id, width, where=where)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        strip = strip.adjust_cell_length(width, base)
        if row == self.cursor:
            cursor_style = self.get_component_rich_style("item-list--cursor")
            strip = Strip([Segment(s.text, (s.style or Style()) + cursor_style, s.control)
                           for s in strip])
        return strip.apply_style(base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        # Relative to the content, not the widget: the border and padding are not rows.
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if 0 <= row < len(self.item_ids):
            self.cursor = row

    # -- moving -------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.item_ids) - 1
