"""The topic tree: headings with read/total for each subtree, drawn with the Line API.

A ``ScrollView`` over the tree's lines (each topic whose ancestors are all expanded);
``render_line`` draws a line when it is on screen, and a label is worked out the first
time its line is drawn. It draws what Textual's ``Tree`` draws (guides, ▶/▼, the cursor,
the mouse's highlight) without its nodes, its CSS or its per-line overhead, which were
~20 ms of the first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dlreader.app.components.pass_style import StyleOncePerPass
from dlreader.catalog.model import Topic
from dlreader.progress import filled_cells
from dlreader.textsafe import display_line

ProgressLookup = Callable[[str], tuple[int, int]]
BAR_WIDTH = 6
FIRST_OPEN_LINES = 200
# A tree row keeps at least this much of a long title before giving up on the counts.
TITLE_MIN_CELLS = 8
GUIDE_WIDTH = 2  # cells per level of indentation
ICON_EXPANDED, ICON_COLLAPSED = "▼ ", "▶ "
# What a guide cell holds before a line: an ancestor with siblings below it, one without;
# and before the topic itself: the last of its siblings, or one of several.
VERTICAL, SPACE, LAST, MIDDLE = "│ ", "  ", "└ ", "├ "
TOGGLE_STYLE = Style.from_meta({"toggle": True})


def topic_label(title: str, progress: tuple[int, int] | None, new: int = 0) -> Text:
    """``Title 3/45 ━━──────``: literal title, done/total, and a thin bar (rounded down,
    like the CLI's: dlreader.progress) coloured by progress;
    then ``3 new`` when items were added since the user last saw the list."""
    label = Text(display_line(title) or "(untitled)")
    if progress is None:
        return label
    done, total = progress
    if total == 0:
        label.append("  –", style="dim")
        return label
    filled = filled_cells(done, total, BAR_WIDTH)
    colour = "green" if done == total else ("yellow" if done else "grey50")
    label.append(f"  {done}/{total} ", style="dim" if done < total else "green")
    label.append("━" * filled, style=colour)
    label.append("─" * (BAR_WIDTH - filled), style="grey35")
    if new:
        label.append(f"  {new} new", style="bold cyan")
    return label


def fit_label(label: Text, title_start: int, title_end: int, room: int) -> Text:
    """``label`` in ``room`` cells: the title (characters ``title_start:title_end``) gives way
    first, with an ellipsis, so the counts after it stay in sight."""
    if label.cell_len <= room:
        return label
    head, title, tail = (label[:title_start], label[title_start:title_end],
                         label[title_end:])
    title_room = room - head.cell_len - tail.cell_len
    if title_room < TITLE_MIN_CELLS:
        return label  # too narrow for both: the line is cut at the pane's edge
    title.truncate(title_room, overflow="ellipsis")
    return Text.assemble(head, title, tail)


@dataclass(frozen=True, slots=True)
class TreeLine:
    """One line of the tree: a topic and the way down to it."""

    path: tuple[str, ...]  # topic ids from a top-level topic to this line's
    lasts: tuple[bool, ...]  # for path[1:]: whether each is its parent's last child

    @property
    def topic_id(self) -> str:
        return self.path[-1]

    @property
    def depth(self) -> int:
        return len(self.path) - 1


class TopicTree(StyleOncePerPass, ScrollView, can_focus=True):
    """Topics by heading; ``cursor_line`` is the highlighted line."""

    # Textual's Tree's look, with the classes this tree draws with.
    DEFAULT_CSS = """
    TopicTree {
        background: $surface;
        color: $foreground;
        & > .topic-tree--guides { color: $surface-lighten-2; }
        & > .topic-tree--guides-selected { color: $block-cursor-blurred-background; }
        & > .topic-tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        & > .topic-tree--highlight-line { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .topic-tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .topic-tree--guides { color: $surface-lighten-3; }
            & > .topic-tree--guides-selected { color: $block-cursor-background; }
        }
        &:light {
            & > .topic-tree--guides { color: $surface-darken-1; }
            & > .topic-tree--guides-selected { color: $block-cursor-background; }
        }
    }
    TopicTree:ansi {
        color: ansi_default;
        & > .topic-tree--guides { color: $ansi-background; }
        &:nocolor > .topic-tree--cursor { text-style: reverse; }
    }
    """

    COMPONENT_CLASSES: ClassVar = {"topic-tree--cursor", "topic-tree--guides",
                                   "topic-tree--guides-selected", "topic-tree--highlight-line"}

    BINDINGS: ClassVar = [
        # toggle_read's key marks a whole topic here (the key table's id: a keymap moves it).
        Binding("space", "mark_topic_read", "Topic read", id="toggle_read"),
        Binding("enter", "toggle_topic", "Expand or collapse", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("right,l", "expand_topic", "Expand", show=False),
        Binding("left,h", "collapse_or_parent", "Collapse", show=False),
    ]

    ALLOW_SELECT = False  # a click moves the cursor; a drag selects nothing

    #: The line with the cursor (-1: none, before the first topics come).
    cursor_line: var[int] = var(-1, always_update=True)
    #: The line under the mouse (-1: none).
    hover_line: var[int] = var(-1)

    class MarkTopicRead(Message):
        """The user asked to mark every item of the topic's subtree read."""

        def __init__(self, topic_id: str) -> None:
            super().__init__()
            self.topic_id = topic_id

    def __init__(self, *, id: str | None = None,
                 on_topic: Callable[[str], None] | None = None) -> None:
        # Called as the cursor lands on another topic, within the key's own handling:
        # its items are listed for the same frame as the moved cursor (a message is
        # handled after that frame, and the rows came a frame later: 17+ ms).
        self._on_topic = on_topic
        self._topics: dict[str, Topic] = {}
        self._expanded: set[str] = set()
        self._lines: list[TreeLine] = []
        self._line_of: dict[str, int] = {}
        self._cursor_topic: str | None = None
        self._labels: dict[str, Text] = {}  # worked out when first drawn; dropped on relabel
        self._strips: dict[int, tuple[tuple[object, ...], Strip]] = {}
        self._progress: ProgressLookup | None = None
        self._progress_later: ProgressLookup | None = None  # see adopt_topics
        self._new_count: Callable[[str], int] | None = None
        super().__init__(id=id)

    # -- building -------------------------------------------------------------------------

    def show_topics(self, topics: Sequence[Topic], progress: ProgressLookup | None) -> None:
        """(Re)build the tree: the top-level topics open (as many as fill a few screens on
        a list with very many), or the ones open before.

        Keeps the cursor on the same topic when it still exists.
        """
        current = self._cursor_topic
        self._topics = {topic.id: topic for topic in topics}
        self._progress, self._progress_later = progress, None
        self._labels.clear()
        self._expanded &= self._topics.keys()
        if not self._expanded:
            budget = FIRST_OPEN_LINES
            for topic in topics:
                if budget <= 0:
                    break
                if topic.parent is None:
                    if topic.children:
                        self._expanded.add(topic.id)
                    budget -= 1 + len(topic.children)
        self._build()
        if current and current in self._topics:
            self.select_topic(current)
        elif self._lines:
            self._move_cursor(0)

    def adopt_topics(self, topics: Sequence[Topic], progress: ProgressLookup | None, *,
                     counts_later: bool = False) -> None:
        """Swap in the full catalog's topics: relabel in place when the headings are the
        ones already shown (the outline has the same ids), else rebuild.

        ``counts_later``: the relabel waits for the next frame (the one the first links
        come in: relabelling every line, and the tree's rendering again, was a good part
        of it); ``shows_progress`` says when the counts are there."""
        if self._topics.keys() == {topic.id for topic in topics}:
            self._topics = {topic.id: topic for topic in topics}
            if counts_later:
                self._progress_later = progress
                self.call_after_refresh(self._show_progress_later)
            else:
                self.set_progress(progress)
        else:
            self.show_topics(topics, progress)

    def _show_progress_later(self) -> None:
        if self._progress_later is not None:  # else a newer progress is shown already
            self.set_progress(self._progress_later)

    def set_new_counts(self, new_count: Callable[[str], int] | None) -> None:
        """Where the "3 new" of each topic comes from (labels change on the next relabel)."""
        self._new_count = new_count

    @property
    def shows_progress(self) -> bool:
        """Whether the labels carry done/total (they do once the reading state is there)."""
        return self._progress is not None

    def set_progress(self, progress: ProgressLookup | None) -> None:
        self._progress, self._progress_later = progress, None
        self.refresh_topics(list(self._labels))

    def refresh_topics(self, topic_ids: Iterable[str]) -> None:
        """Relabel the given topics: each one's line is drawn again if it is on screen."""
        top, height = self.scroll_offset.y, self.size.height
        for topic_id in topic_ids:
            self._labels.pop(topic_id, None)
            line = self._line_of.get(topic_id)
            if line is not None:
                self._strips.pop(line, None)
                if top <= line < top + height:
                    self.refresh(Region(0, line - top, self.size.width, 1))

    def _build(self) -> None:
        """The lines: each top-level topic, and under an expanded one its children."""
        lines: list[TreeLine] = []

        def add(topic_id: str, path: tuple[str, ...], lasts: tuple[bool, ...]) -> None:
            path = (*path, topic_id)
            lines.append(TreeLine(path, lasts))
            if topic_id in self._expanded:
                children = [c for c in self._topics[topic_id].children if c in self._topics]
                for index, child in enumerate(children):
                    add(child, path, (*lasts, index == len(children) - 1))

        for topic in self._topics.values():
            if topic.parent is None:
                add(topic.id, (), ())
        self._lines = lines
        self._line_of = {line.topic_id: index for index, line in enumerate(lines)}
        self._strips.clear()
        self.virtual_size = Size(0, len(lines))
        self.refresh()
        if self._cursor_topic is not None:
            line = self._visible_line(self._cursor_topic)
            if self._topic_at(line) == self._cursor_topic:
                self.set_reactive(TopicTree.cursor_line, line)
            else:  # a collapse hid it: the cursor goes to what is shown in its place
                self.cursor_line = line

    def _visible_line(self, topic_id: str) -> int:
        """The topic's line, else its nearest ancestor's that has one (a collapse hid it)."""
        current: str | None = topic_id
        while current is not None:
            if current in self._line_of:
                return self._line_of[current]
            current = self._topics[current].parent if current in self._topics else None
        return 0 if self._lines else -1

    def _label(self, topic_id: str) -> Text:
        label = self._labels.get(topic_id)
        if label is None:
            progress = self._progress(topic_id) if self._progress else None
            new = self._new_count(topic_id) if self._new_count else 0
            label = self._labels[topic_id] = topic_label(
                self._topics[topic_id].title, progress, new)
        return label

    # -- what tests and the screen read -----------------------------------------------------

    def label_of(self, topic_id: str) -> Text:
        """The topic's label as the tree draws it (before it is fitted to the pane)."""
        return self._label(topic_id)

    @property
    def line_topic_ids(self) -> list[str]:
        """The topics on the tree's lines, top to bottom."""
        return [line.topic_id for line in self._lines]

    def line_of(self, topic_id: str) -> int:
        """The topic's line, -1 when a collapsed ancestor hides it."""
        return self._line_of.get(topic_id, -1)

    def is_expanded(self, topic_id: str) -> bool:
        return topic_id in self._expanded

    @property
    def cursor_topic_id(self) -> str | None:
        return self._cursor_topic

    # -- drawing ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        index = y + scroll_y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[index]
        hovered = self._topic_at(self.hover_line)
        cursor = self._cursor_topic if self.has_focus else None
        key = (width, line.topic_id, hovered in line.path, self.hover_line == index,
               index == self.cursor_line, cursor in line.path, self.has_focus)
        cached = self._strips.get(index)
        if cached is None or cached[0] != key:
            cached = self._strips[index] = (key, self._render_tree_line(line, index, width))
        return cached[1].crop(scroll_x, scroll_x + width)

    def _render_tree_line(self, line: TreeLine, index: int, width: int) -> Strip:
        # The guides and the label as Textual's Tree builds them, span for span, so the
        # screen is cell for cell what it was.
        base_style = self.rich_style
        style_of = self.get_component_rich_style
        hovered = self._topic_at(self.hover_line)
        cursor = self._cursor_topic if self.has_focus else None
        # The mouse finds its line, and the ▶/▼ to click, in the styles' meta.
        line_style = (style_of("topic-tree--highlight-line") if hovered in line.path
                      else base_style) + Style(meta={"line": index})
        guide_plain = style_of("topic-tree--guides", partial=True)
        guide_selected = guide_plain + style_of("topic-tree--guides-selected", partial=True)
        guides = Text(style=line_style)
        guide_style = guide_plain
        selected = line.path[0] == cursor
        for depth, last in enumerate(line.lasts, start=1):
            if selected:
                guide_style = guide_selected
            if depth < len(line.lasts):
                guides.append(SPACE if last else VERTICAL, style=guide_style)
            selected = selected or line.path[depth] == cursor
        if line.lasts:
            guides.append(LAST if line.lasts[-1] else MIDDLE, style=guide_style)
        label_style = Style()
        if index == self.cursor_line:
            label_style += style_of("topic-tree--cursor")
        label = self._label(line.topic_id).copy()
        label.stylize(label_style)
        topic = self._topics[line.topic_id]
        icon = (ICON_EXPANDED if topic.id in self._expanded else ICON_COLLAPSED) \
            if topic.children else ""
        label = Text.assemble((icon, line_style + TOGGLE_STYLE), label)
        # A title wider than the pane gives way to its counts (the list's header, and the
        # tree zoomed with z, show it whole).
        start = len(icon)
        shown = display_line(topic.title) or "(untitled)"
        label = fit_label(label, start, start + len(shown),
                          self.scrollable_content_region.width - line.depth * GUIDE_WIDTH)
        label.stylize(Style(meta={"topic": line.topic_id}))
        guides.append(label)
        strip = Strip(list(guides.render(self.app.console)), guides.cell_len)
        return strip.adjust_cell_length(max(width, strip.cell_length), line_style)

    def _topic_at(self, line: int) -> str | None:
        return self._lines[line].topic_id if 0 <= line < len(self._lines) else None

    def _refresh_subtree(self, line: int) -> None:
        """Repaint a line and the lines under it (their guides show the cursor's subtree)."""
        if not 0 <= line < len(self._lines):
            return
        depth, end = self._lines[line].depth, line + 1
        while end < len(self._lines) and self._lines[end].depth > depth:
            end += 1
        top = self.scroll_offset.y
        start, stop = max(line, top), min(end, top + self.size.height)
        if start < stop:
            self.refresh(Region(0, start - top, self.size.width, stop - start))

    # -- the cursor -----------------------------------------------------------------------

    def validate_cursor_line(self, line: int) -> int:
        return max(0, min(line, len(self._lines) - 1)) if self._lines else -1

    def watch_cursor_line(self, previous: int, line: int) -> None:
        if previous != line:  # the same line again (resume's select_topic) repaints nothing
            self._refresh_subtree(previous)
            self._refresh_subtree(line)
        topic_id = self._topic_at(line)
        if topic_id is not None and topic_id != self._cursor_topic:
            self._cursor_topic = topic_id
            if self._on_topic is not None:
                self._on_topic(topic_id)

    def watch_hover_line(self, previous: int, line: int) -> None:
        self._refresh_subtree(previous)
        self._refresh_subtree(line)

    def _move_cursor(self, line: int, *, animate: bool = False) -> None:
        self.cursor_line = line
        self._scroll_to_line(self.cursor_line, animate=animate)

    def _scroll_to_line(self, line: int, *, animate: bool) -> None:
        if 0 <= line < len(self._lines):
            self.scroll_to_region(Region(0, line, 1, 1), animate=animate, force=True,
                                  origin_visible=False, x_axis=False)

    def select_topic(self, topic_id: str) -> None:
        """Expand the topic's ancestors and put the cursor on it."""
        topic = self._topics.get(topic_id)
        if topic is None:
            return
        ancestors: list[str] = []
        parent = topic.parent
        while parent is not None and parent in self._topics:
            ancestors.append(parent)
            parent = self._topics[parent].parent
        if not self._expanded.issuperset(ancestors):
            self._expanded.update(ancestors)
            self._build()
        if topic_id in self._line_of:
            self._move_cursor(self._line_of[topic_id])

    def _set_expanded(self, topic_id: str, expanded: bool) -> None:
        topic = self._topics.get(topic_id)
        if topic is None or not topic.children or (topic_id in self._expanded) == expanded:
            return
        if expanded:
            self._expanded.add(topic_id)
        else:
            self._expanded.discard(topic_id)
        self._build()

    # -- keys and the mouse ---------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._move_cursor(len(self._lines) - 1 if self.cursor_line < 0 else self.cursor_line - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self.cursor_line + 1)

    def action_page_up(self) -> None:
        self._move_cursor(self.cursor_line - (self.scrollable_content_region.height - 1),
                          animate=True)

    def action_page_down(self) -> None:
        self._move_cursor(max(self.cursor_line, 0)
                          + self.scrollable_content_region.height - 1, animate=True)

    def action_scroll_home(self) -> None:
        self._move_cursor(0, animate=True)

    def action_scroll_end(self) -> None:
        self._move_cursor(len(self._lines) - 1, animate=True)

    def action_toggle_topic(self) -> None:
        topic_id = self._cursor_topic
        if topic_id is not None:
            self._set_expanded(topic_id, topic_id not in self._expanded)

    def action_expand_topic(self) -> None:
        if self._cursor_topic is not None:
            self._set_expanded(self._cursor_topic, True)

    def action_collapse_or_parent(self) -> None:
        topic_id = self._cursor_topic
        if topic_id is None:
            return
        parent = self._topics[topic_id].parent
        if topic_id in self._expanded:
            self._set_expanded(topic_id, False)
        elif parent is not None and parent in self._line_of:
            self._move_cursor(self._line_of[parent])

    def action_mark_topic_read(self) -> None:
        topic_id = self.cursor_topic_id
        if topic_id is not None:
            self.post_message(self.MarkTopicRead(topic_id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover_line = event.style.meta.get("line", -1)

    def on_leave(self, event: events.Leave) -> None:
        self.hover_line = -1

    def on_click(self, event: events.Click) -> None:
        # As on Textual's Tree: a click on ▶/▼ opens or closes the topic; on the label it
        # moves the cursor there and opens or closes it too.
        meta = event.style.meta
        topic_id = self._topic_at(meta.get("line", -1))
        if topic_id is None:
            return
        if not meta.get("toggle", False):
            self.cursor_line = meta["line"]
        self._set_expanded(topic_id, topic_id not in self._expanded)
