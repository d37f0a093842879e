"""The ``L`` screen: the user's lists with their progress; Enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dlreader.app.screens.dialog import DialogScreen
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.store.records import ListRecord
    from dlreader.store.store import Store


def list_row(record: ListRecord, progress: tuple[int, int, int] | None, current: bool) -> Text:
    """``name  12/587 done  3 new  source``; progress None while it is being counted."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append("● " if current else "  ", style="bold green")
    row.append(display_line(record.name), style="bold")
    if progress is None:
        row.append("  …", style="dim")
    else:
        items, done, new = progress
        row.append(f"  {done}/{items} done", style="green" if items and done == items else "")
        if new:
            row.append(f"  {new} new", style="bold cyan")
    row.append(f"  {display_line(record.source) or '(bundled)'}", style="dim")
    return row


class ListSwitcher(DialogScreen[str | None]):
    """Dismissed with the chosen list's source, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, store: Store, current_key: str) -> None:
        super().__init__()
        self.store = store
        self.current_key = current_key
        self.records = store.lists()

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher", classes="dialog"):
            yield Static(Text("Your lists", style="bold"), id="switcher-title")
            yield OptionList(
                *[Option(list_row(r, None, r.key == self.current_key), id=str(n))
                  for n, r in enumerate(self.records)],
                id="switcher-lists",
            )
            yield Static(Text("Enter opens the list, Esc closes. `dlreader lists --forget "
                              "NAME` removes one.", style="dim"), id="switcher-footer")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        current = [n for n, r in enumerate(self.records) if r.key == self.current_key]
        if current:
            options.highlighted = current[0]
        self._count()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _count(self) -> None:
        """Each list's progress, off the UI thread (a list may need parsing)."""
        from dlreader.library import kept_catalog, list_progress

        states = self.store.states()
        data_dir = self.store.path.parent
        for number, record in enumerate(self.records):
            catalog = kept_catalog(data_dir, record.source)
            progress = None if catalog is None else list_progress(catalog, states, record)
            row = list_row(record, progress, record.key == self.current_key)
            if catalog is None:
                row.append("  (not on this machine)", style="yellow")
            self.app.call_from_thread(self._show_row, number, row)

    def _show_row(self, number: int, row: Text) -> None:
        options = self.query_one_optional(OptionList)  # None once the screen has closed
        if options is not None:
            options.replace_option_prompt_at_index(number, row)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.records[event.option_index].source)
