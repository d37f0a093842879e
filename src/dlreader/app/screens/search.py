"""``/``: fuzzy search over titles, URLs, notes and passages; Enter jumps to the hit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from dlreader.reading import SearchHit
from dlreader.textsafe import one_line

if TYPE_CHECKING:
    from dlreader.reading import ReadingView

KIND_LABELS = {"title": "title", "url": "url", "note": "note", "passage": "passage"}
SNIPPET = 140


def hit_prompt(view: ReadingView, hit: SearchHit) -> Text:
    """One result: the item's title (or the passage), what matched, and where."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{KIND_LABELS[hit.kind]:>7} ", style="dim")
    if hit.item_id is not None and hit.item_id in view.catalog.items:
        item = view.catalog.items[hit.item_id]
        text.append(one_line(item.title)[:SNIPPET] or "(untitled)", style="bold")
        if hit.kind in ("url", "note"):
            text.append("  " + one_line(hit.text)[:SNIPPET], style="dim")
    else:
        text.append(one_line(hit.text)[:SNIPPET])
    if view.catalog.has_topic(hit.topic_id):
        text.append(f"  in {one_line(view.catalog.topic(hit.topic_id).title)}", style="cyan")
    return text


class SearchScreen(ModalScreen[SearchHit | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", priority=True),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "choose", "Go", priority=True),
    ]

    def __init__(self, view: ReadingView, query: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.view = view
        self.initial_query = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search", classes="dialog"):
            yield Input(self.initial_query, placeholder="search titles, URLs, notes, passages",
                        id="search-input")
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        hits = self.view.search(query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits)

    def _show_hits(self, query: str, hits: list[SearchHit]) -> None:
        if self.query_one(Input).value != query:
            return
        self.hits = hits
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(hit_prompt(self.view, hit)) for hit in hits])
        if hits:
            results.highlighted = 0
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update(Text("type to search; Enter jumps to the item", style="dim"))
        else:
            shown = f"{len(hits)} match{'es' if len(hits) != 1 else ''}"
            status.update(Text(shown if hits else "no match", style="dim"))

    def action_move(self, delta: int) -> None:
        results = self.query_one(OptionList)
        if not self.hits:
            return
        current = results.highlighted or 0
        results.highlighted = max(0, min(len(self.hits) - 1, current + delta))

    def action_choose(self) -> None:
        results = self.query_one(OptionList)
        index = results.highlighted
        if self.hits and index is not None:
            self.dismiss(self.hits[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
