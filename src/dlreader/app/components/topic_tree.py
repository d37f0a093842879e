"""The topic tree: headings with read/total for each subtree, children built on expand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from dlreader.app.components.pass_style import StyleOncePerPass
from dlreader.catalog.model import Topic
from dlreader.progress import filled_cells
from dlreader.textsafe import display_line

ProgressLookup = Callable[[str], tuple[int, int]]
BAR_WIDTH = 6
FIRST_OPEN_LINES = 200
# A tree row keeps at least this much of a long title before giving up on the counts.
TITLE_MIN_CELLS = 8


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


class TopicTree(StyleOncePerPass, Tree[str]):
    """Topics by heading; each node's data is its topic id."""

    BINDINGS = [
        # toggle_read's key marks a whole topic here (the key table's id: a keymap moves it).
        Binding("space", "mark_topic_read", "Topic read", id="toggle_read"),
        Binding("right", "expand_node", "Expand", show=False),
        Binding("left", "collapse_or_parent", "Collapse", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "expand_node", "Expand", show=False),
        Binding("h", "collapse_or_parent", "Collapse", show=False),
    ]

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
        # Nodes relabelled whose repaint Textual has not done yet (see _refresh_node);
        # before Tree's __init__, whose cursor watcher already repaints.
        self._relabelled: Counter[TreeNode[str]] = Counter()
        # A Text, not a str: Tree reads a str label as markup, and the first markup
        # imports rich's emoji table (~3 ms before the first paint) for a hidden root.
        super().__init__(Text("topics"), id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = True
        self._topics: dict[str, Topic] = {}
        self._topic_nodes: dict[str, TreeNode[str]] = {}
        self._progress: ProgressLookup | None = None
        self._progress_later: ProgressLookup | None = None  # see adopt_topics
        self._new_count: Callable[[str], int] | None = None

    # -- building -------------------------------------------------------------------------

    def show_topics(self, topics: Sequence[Topic], progress: ProgressLookup | None) -> None:
        """(Re)build the tree: roots and their children now, deeper levels on expand.

        Keeps the cursor on the same topic when it still exists.
        """
        current = self.cursor_topic_id
        expanded = {tid for tid, node in self._topic_nodes.items() if node.is_expanded}
        self._topics = {topic.id: topic for topic in topics}
        self._progress, self._progress_later = progress, None
        self._topic_nodes = {}
        self._relabelled.clear()
        self.clear()
        for topic in topics:
            if topic.parent is None:
                self._add_topic_node(self.root, topic)
        if not expanded:
            # Open the roots so level 2 shows; on a list with very many roots only as
            # many as fill a few screens (each opened root builds all its children).
            budget = FIRST_OPEN_LINES
            for node in list(self.root.children):
                if budget <= 0:
                    break
                self._populate(node)
                node.expand()
                budget -= 1 + len(node.children)
        else:
            pending = list(self.root.children)
            while pending:
                node = pending.pop()
                if node.data in expanded:
                    self._populate(node)
                    node.expand()
                    pending.extend(node.children)
        if current and current in self._topics:
            self.select_topic(current)
        elif self._topic_nodes:
            self._relayout()
            self.move_cursor(next(iter(self._topic_nodes.values())))

    def adopt_topics(self, topics: Sequence[Topic], progress: ProgressLookup | None, *,
                     counts_later: bool = False) -> None:
        """Swap in the full catalog's topics: relabel in place when the headings are the
        ones already shown (the outline has the same ids), else rebuild.

        ``counts_later``: the relabel waits for the next frame (the one the first links
        come in: relabelling every node, and the tree's rendering again, was a good part
        of it); ``shows_progress`` says when the counts are there."""
        if set(self._topics) == {topic.id for topic in topics}:
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
        self.refresh_topics(self._topic_nodes)

    def _add_topic_node(self, parent: TreeNode[str], topic: Topic) -> TreeNode[str]:
        node = parent.add(self._label(topic.id), data=topic.id, allow_expand=bool(topic.children))
        self._topic_nodes[topic.id] = node
        return node

    def _populate(self, node: TreeNode[str]) -> None:
        if node.children or node.data is None:
            return
        for child_id in self._topics[node.data].children:
            if child_id in self._topics:
                self._add_topic_node(node, self._topics[child_id])

    def _label(self, topic_id: str) -> Text:
        progress = self._progress(topic_id) if self._progress else None
        new = self._new_count(topic_id) if self._new_count else 0
        return topic_label(self._topics[topic_id].title, progress, new)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        # A title wider than the pane gives way to its counts (the list's header, and the
        # tree zoomed with z, show it whole).
        label = super().render_label(node, base_style, style)
        topic = self._topics.get(node.data) if node.data is not None else None
        if topic is None:
            return label
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        shown = display_line(topic.title) or "(untitled)"
        start = label.plain.find(shown)  # after the expand icon, if any
        if start < 0:
            return label
        return fit_label(label, start, start + len(shown),
                         self.scrollable_content_region.width - depth * self.guide_depth)

    def get_label_width(self, node: TreeNode[str]) -> int:
        # Only for the virtual width, which scrolls nothing here (overflow-x: hidden, and
        # render_label fits each label to the pane): Tree rendered every label to
        # measure it, ~3 ms of the first paint's line numbering.
        return cell_len(str(node.label)) + 2  # the label, and the expand icon before it

    def refresh_topics(self, topic_ids: Iterable[str]) -> None:
        """Relabel the given topics (only those with a node yet)."""
        for topic_id in topic_ids:
            node = self._topic_nodes.get(topic_id)
            if node is not None:
                self._relabelled[node] += 1
                node.set_label(self._label(topic_id))

    def _refresh_node(self, node: TreeNode[str]) -> None:
        # Textual repaints every visible line under a relabelled node (a cursor move
        # changes its subtree's guides); a new label changes only the node's own line.
        # Marking one item read relabels its ancestors, a root among them: that was the
        # whole visible tree on every key. Each relabel answers one call; should a
        # cursor move take it first, the relabel's own call repaints the subtree.
        if self._relabelled[node] > 0:
            self._relabelled[node] -= 1
            if not self._relabelled[node]:
                del self._relabelled[node]
            if node.line >= 0:
                self.refresh(Region(0, node.line - self.scroll_offset.y, self.size.width, 1))
            return
        super()._refresh_node(node)

    def _on_resize(self, event: events.Resize) -> None:
        # Tree's own handler drops every rendered line on any Resize, the one Textual sends
        # right after the first paint (at the size just painted) included: the whole tree
        # rendered twice before the links show. Its line cache is keyed by width, and the
        # compositor repaints a resized widget, so nothing of it is needed here.
        event.prevent_default()

    # -- navigation -----------------------------------------------------------------------

    @property
    def cursor_topic_id(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def select_topic(self, topic_id: str) -> None:
        """Expand the topic's ancestors (building them) and put the cursor on it."""
        chain: list[str] = []
        current: str | None = topic_id
        while current is not None and current in self._topics:
            chain.append(current)
            current = self._topics[current].parent
        for ancestor in reversed(chain[1:]):
            node = self._topic_nodes.get(ancestor)
            if node is None:
                return
            self._populate(node)
            node.expand()
        node = self._topic_nodes.get(topic_id)
        if node is not None:
            self._relayout()
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    def _relayout(self) -> None:
        # Tree numbers its lines lazily; a node's line is stale after an expand until
        # the line list is rebuilt, and move_cursor reads it.
        _ = self.last_line  # public, and it rebuilds the line list

    @on(Tree.NodeExpanded)
    def _build_children(self, event: Tree.NodeExpanded[str]) -> None:
        self._populate(event.node)

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        before = self.get_node_at_line(previous_line)
        super().watch_cursor_line(previous_line, line)
        node = self.cursor_node
        if node is not None and node is not before and node.data is not None \
                and self._on_topic is not None:
            self._on_topic(node.data)

    @on(Tree.NodeHighlighted)
    def _topic_reported(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()  # reported to the screen by on_topic already

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            self._populate(node)
            node.expand()

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_mark_topic_read(self) -> None:
        topic_id = self.cursor_topic_id
        if topic_id is not None:
            self.post_message(self.MarkTopicRead(topic_id))
