"""``/``: ranked search (dlreader.search) over items, topics, passages and notes, each hit
labelled with how it matched; Tab scopes it to the current topic; Enter jumps to the hit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from dlreader.app.screens.dialog import DialogScreen
from dlreader.search import Hit as SearchHit
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.reading import ReadingState

SNIPPET = 76
LABEL_WIDTH = 17


def hit_label(hit: SearchHit) -> str:
    """How the hit matched and where: ``word title``, ``substring url``, ``fuzzy topic``."""
    return f"{hit.match} {hit.field}"


def snippet(text: str, query: str, width: int = SNIPPET) -> str:
    """One line of ``text`` around the first query word found in it."""
    flat = display_line(text)
    if len(flat) <= width:
        return flat
    folded = flat.casefold()
    positions = [folded.find(word) for word in query.casefold().split()]
    found = [p for p in positions if p >= 0]
    start = max(0, min(found) - width // 4) if found else 0
    piece = flat[start : start + width - 2]
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(flat) else "")


def hit_prompt(view: ReadingState, hit: SearchHit, query: str = "") -> Text:
    """Two lines: what matched and the item's title (or the passage), then where."""
    text = Text()
    indent = "\n" + " " * (LABEL_WIDTH + 2)
    text.append(f"{hit_label(hit):>{LABEL_WIDTH}}  ", style="dim")
    if hit.item_id is not None and hit.item_id in view.catalog.items:
        item = view.catalog.items[hit.item_id]
        state = view.state(hit.item_id)
        title = state.shown_title(item.title) if state is not None else item.title
        text.append(snippet(title, query) or "(untitled)", style="bold")
        if hit.field != "title" or hit.text != title:
            text.append(indent)
            text.append(snippet(hit.text, query), style="italic")
    else:
        text.append(snippet(hit.text, query), style="bold" if hit.kind == "topic" else "")
    if view.catalog.has_topic(hit.topic_id) and hit.kind != "topic":
        text.append(indent + "in ", style="dim")
        text.append(snippet(view.catalog.topic(hit.topic_id).title, ""), style="cyan")
    return text


class SearchScreen(DialogScreen[SearchHit | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", priority=True),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "choose", "Go", priority=True),
        Binding("tab", "toggle_scope", "This topic / everywhere", priority=True),
    ]

    def __init__(self, view: ReadingState, query: str = "", *,
                 topic_id: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.initial_query = query
        self.hits: list[SearchHit] = []
        #: The topic Tab scopes the search to; ``scoped`` says whether it is.
        self.topic_id = topic_id
        self.scoped = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search", classes="dialog"):
            yield Input(self.initial_query,
                        placeholder="search items, topics, tags, passages, notes "
                        "(Tab: this topic only)", id="search-input")
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        # At once (focus() waits for the next idle): what is typed as soon as the
        # dialog shows goes into the field.
        self.set_focus(self.query_one(Input))
        if self.initial_query:
            self.run_search(self.initial_query)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def action_toggle_scope(self) -> None:
        if self.topic_id is None:
            return
        self.scoped = not self.scoped
        self.run_search(self.query_one(Input).value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        hits = self.view.search(query, within_topic=self.topic_id if self.scoped else None)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.query_one("#search-status", Static).update(
                Text(f"search failed: {type(error).__name__}: {error}", style="red"))

    def _show_hits(self, query: str, hits: list[SearchHit]) -> None:
        if not self.is_attached or self.query_one(Input).value != query:
            return
        self.hits = hits
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(hit_prompt(self.view, hit, query)) for hit in hits])
        if hits:
            results.highlighted = 0
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update(Text("type to search; Enter jumps to the item", style="dim"))
        else:
            shown = f"{len(hits)} match{'es' if len(hits) != 1 else ''}" if hits else "no match"
            if self.scoped and self.topic_id is not None:
                title = display_line(self.view.catalog.topic(self.topic_id).title)
                shown += f" in {title} (Tab: everywhere)"
            status.update(Text(shown, style="dim"))

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
