"""The queue (``Q``): what to read next across the whole list, each row with its topic.

The order is dlreader.reading_queue's (the same as `dlreader next`): reading first, then
unread by priority, ties in list order; read and skipped items never show. Enter goes to
the item in its topic; ``O`` opens its link and marks it reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dlreader.app.screens.dialog import DialogScreen
from dlreader.reading_queue import queue_ids
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.reading import ReadingState

# How many rows the queue lists (the rest are further down the same order).
QUEUE_ROWS = 500
_PRIORITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


class QueueChoice(Struct, frozen=True):
    item_id: str
    open_link: bool  # O: open the link and mark the item reading


def queue_row(view: ReadingState, item_id: str) -> Text:
    """``▶ Title  [high]`` then ``   in Topic › Subtopic`` (literal text, one line each)."""
    item = view.catalog.items[item_id]
    state = view.state(item_id)
    title = state.shown_title(item.title) if state is not None else item.title
    status, priority = view.status(item_id), view.priority(item_id)
    row = Text()
    row.append("▶ " if status == "reading" else "· ", style="bold yellow" if status ==
               "reading" else "dim")
    row.append(display_line(title) or "(untitled)")
    if priority != "none":
        row.append(f"  [{priority}]", style=_PRIORITY_STYLE.get(priority, ""))
    if item.topics:
        where = " › ".join(display_line(t.title) for t in view.catalog.path(item.topics[0])[1:])
        row.append(f"\n   in {where or display_line(view.catalog.topic(item.topics[0]).title)}",
                   style="dim cyan")
    return row


class QueueScreen(DialogScreen[QueueChoice | None]):
    BINDINGS = [
        Binding("escape,Q", "close", "Close"),
        Binding("enter", "choose(False)", "Go to item"),
        Binding("O", "choose(True)", "Open + reading"),
    ]

    def __init__(self, view: ReadingState) -> None:
        super().__init__()
        self.view = view
        self.ids = queue_ids(view.catalog, view.states())[:QUEUE_ROWS]

    def compose(self) -> ComposeResult:
        with Vertical(id="queue", classes="dialog"):
            reading = sum(1 for i in self.ids if self.view.status(i) == "reading")
            yield Static(Text(f"Queue: {reading} reading, then unread by priority", style="bold"),
                         markup=False)
            yield OptionList(*[Option(queue_row(self.view, i), id=i) for i in self.ids],
                             id="queue-list")
            yield Static(Text("Enter goes to the item · O opens it and marks it reading · "
                              "Esc closes" if self.ids else "Nothing left: every item is "
                              "read or skipped.", style="dim"), markup=False)

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.focus()
        if self.ids:
            listing.highlighted = 0

    def action_choose(self, open_link: bool) -> None:
        index = self.query_one(OptionList).highlighted
        if self.ids and index is not None:
            self.dismiss(QueueChoice(self.ids[index], open_link))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(QueueChoice(self.ids[event.option_index], False))

    def action_close(self) -> None:
        self.dismiss(None)
