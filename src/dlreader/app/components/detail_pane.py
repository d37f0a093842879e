"""The detail pane: the highlighted item (with its note as markdown) and the topic's prose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from dlreader.app.components.key_scroll import KeyScroll
from dlreader.catalog.model import Passage, item_urls
from dlreader.textsafe import display_line, display_text

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from dlreader.reading import ReadingState

STATUS_STYLES = {"unread": "", "reading": "bold yellow", "read": "green", "skipped": "grey50"}
PRIORITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "blue", "none": "dim"}


def item_details(view: ReadingState, item_id: str, link: int = 0) -> Text:
    """The item's title, description, links (``link``: the one o and c use), topics, state."""
    item = view.catalog.items[item_id]
    state = view.state(item_id)
    text = Text()
    own = state.own_title if state is not None else ""
    text.append(display_line(own or item.title) or "(untitled)", style="bold")
    text.append("\n")
    if own:  # the list's own title stays visible
        text.append("list title ", style="dim")
        text.append(display_line(item.title) or "(untitled)")
        text.append("\n")
    if item.description:
        text.append(display_line(item.description))
        text.append("\n")
    urls = item_urls(item)
    chosen = link % len(urls) if urls else -1

    def mark(number: int) -> str:
        return "" if len(urls) < 2 else "▸ " if number == chosen else "  "

    if item.url:
        _link_line(text, None, item.url, mark(0))
    else:
        text.append("(no link: a citation)", style="dim")
        text.append("\n")
    offset = 1 if item.url else 0
    for number, other in enumerate(item.links):
        _link_line(text, other.title, other.url, mark(number + offset))
    for topic_id in item.topics:
        if not view.catalog.has_topic(topic_id):
            continue
        path = " › ".join(display_line(t.title) for t in view.catalog.path(topic_id))
        text.append("in ", style="dim")
        text.append(path)
        text.append("\n")
    status = state.status if state else "unread"
    priority = state.priority if state else "none"
    text.append("status ", style="dim")
    text.append(status, style=STATUS_STYLES.get(status, ""))
    text.append("   priority ", style="dim")
    text.append(priority, style=PRIORITY_STYLES.get(priority, ""))
    if state is not None and state.tags:
        text.append("   tags ", style="dim")
        text.append(" ".join(f"#{display_line(tag)}" for tag in state.tags), style="magenta")
    if state is not None:
        for label, value in (("added", state.created), ("updated", state.updated),
                             ("read", state.read_at)):
            if value:
                text.append(f"   {label} ", style="dim")
                text.append(value[:10])
    _link_details(text, view, item_id)
    return text


LINK_STYLES = {"ok": "green", "moved": "yellow", "dead": "bold red", "blocked": "grey50",
               "error": "red"}


def _link_details(text: Text, view: ReadingState, item_id: str) -> None:
    """The link check's facts: status, code, date, where it moved, the page's own title,
    authors, year and abstract, and for a dead link its archived copy."""
    from pathlib import Path

    from dlreader.linkhealth.display import archived_copy

    record = view.link(item_id)
    if record is None:
        return
    text.append("\nlink ", style="dim")
    text.append(record.status, style=LINK_STYLES.get(record.status, ""))
    if record.code is not None:
        text.append(f" ({record.code})")
    if record.reason and record.status != "ok":
        text.append(f" {display_line(record.reason)}", style="dim")
    text.append("   checked ", style="dim")
    text.append(record.checked[:10])
    if record.moved_to:
        text.append("\nmoved to ", style="dim")
        text.append(display_text(record.moved_to), style="underline cyan")
    archive = archived_copy(view.catalog.items[item_id], record, Path(view.catalog.source))
    if archive:
        text.append("\narchived copy ", style="dim")
        text.append(archive, style="underline cyan")
    listed_title = view.catalog.items[item_id].title
    if record.title and display_line(record.title) != display_line(listed_title):
        text.append("\npage title ", style="dim")
        text.append(display_line(record.title), style="italic")
    if record.authors:
        text.append("\nby ", style="dim")
        text.append(display_line(", ".join(record.authors)))
    if record.year is not None:
        text.append(f"   {record.year}", style="dim")
    if record.abstract:
        text.append("\n")
        text.append(display_text(record.abstract), style="italic")
def _link_line(text: Text, title: str | None, url: str, mark: str) -> None:
    text.append(mark, style="bold yellow")
    if title is not None:
        text.append(display_line(title), style="dim")
        text.append(" ")
    text.append(display_text(url), style="underline cyan")
    text.append("\n")


def passages_text(title: str, passages: list[Passage]) -> Text:
    """The topic's prose: quotes with their source, block quotes, math, images as links."""
    text = Text()
    text.append(f"About {display_line(title)}", style="bold")
    for passage in passages:
        body = display_text(passage.text).strip()
        text.append("\n\n")
        if passage.kind == "quote":
            text.append("“", style="dim")
            text.append(body, style="italic")
            text.append("”", style="dim")
            if passage.url:
                text.append("\n  — ", style="dim")
                text.append(display_text(passage.url), style="underline cyan")
        elif passage.kind == "blockquote":
            for number, line in enumerate(body.splitlines() or [""]):
                if number:
                    text.append("\n")
                text.append("▌ ", style="blue")
                text.append(line, style="italic")
        elif passage.kind == "math":
            text.append(body, style="bold magenta")
        elif passage.kind == "image":
            text.append("image: ", style="dim")
            text.append(body or "(no description)")
            if passage.url:
                text.append(" → ", style="dim")
                text.append(display_text(passage.url), style="underline cyan")
        else:
            text.append(body)
    return text


class ItemInfo(Widget):
    """The item's own lines. Updated on every key that changes the item, so it repaints
    in place when its wrapped height is unchanged (``Static.update`` would re-lay out the
    whole screen each time)."""

    DEFAULT_CSS = """
    ItemInfo {
        height: auto;
    }
    """

    def __init__(self, text: Text, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = text
        self._height = -1

    def render(self) -> Text:
        return self._text

    def show(self, text: Text) -> None:
        width = self.content_region.width
        height = len(text.wrap(self.app.console, width)) if width > 0 else -1
        same_height = height == self._height and height > 0
        self._text, self._height = text, height
        self.refresh(layout=not same_height)


class DetailPane(KeyScroll):
    """Scrollable details; focusable so the keyboard can scroll long prose."""

    ALLOW_MAXIMIZE = True  # z zooms it (Textual's containers are not maximizable)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # An empty box until the first details or show_loading: a warm start's details
        # come a frame after its first links, and the parts were ~10 ms of that frame.
        self._parts_mounted = False
        self._note: Markdown | None = None
        self._shown: tuple[str | None, str | None, str] | None = None
        self._shown_view: ReadingState | None = None

    def _mount_parts(self) -> None:
        if not self._parts_mounted:
            self._parts_mounted = True
            # In the DOM at once (queried straight after); laid out and drawn this frame.
            self.mount_all((ItemInfo(Text("Loading the list…", style="dim"), id="item-info"),
                            Static("", id="note-title", markup=False),
                            Static("", id="passages", markup=False)))

    def show_loading(self) -> None:
        """Say the list is loading, until the first details."""
        self._mount_parts()

    def show(self, view: ReadingState | None, item_id: str | None, topic_id: str | None,
             *, link: int = 0) -> None:
        self._mount_parts()
        info = self.query_one(ItemInfo)
        passages = self.query_one("#passages", Static)
        note_title = self.query_one("#note-title", Static)
        note = view.note(item_id) if view is not None and item_id is not None else ""
        key = (item_id, topic_id, note)
        if view is None:
            return
        if item_id is not None and item_id in view.catalog.items:
            info.show(item_details(view, item_id, link))
        else:
            info.show(Text("No item here.", style="dim"))
        if note.strip():
            note_title.update(Text("Note", style="bold"))
            note_title.display = True
            self._show_note(display_text(note))
        else:
            note_title.display = False
            if self._note is not None:
                self._note.display = False
        shown_topic = self._shown[1] if self._shown is not None else None
        if topic_id != shown_topic or self._shown_view is not view:
            # The topic's prose only changes with the topic: long passages are not
            # re-wrapped on every key.
            topic = view.catalog.topic(topic_id) if topic_id is not None and \
                view.catalog.has_topic(topic_id) else None
            if topic is not None and topic.passages:
                passages.update(passages_text(topic.title, topic.passages))
            passages.display = topic is not None and bool(topic.passages)
        self._shown_view = view
        if key != self._shown:
            self.scroll_home(animate=False)
        self._shown = key

    def _show_note(self, note: str) -> None:
        # Markdown (and markdown-it) are imported only when a note is first shown.
        from textual.widgets import Markdown

        if self._note is None:
            self._note = Markdown(note, id="note", open_links=False)
            self.mount(self._note, after=self.query_one("#note-title", Widget))
        else:
            self._note.update(note)
        self._note.display = True
