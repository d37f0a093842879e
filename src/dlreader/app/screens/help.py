"""The ``?`` screen: every key in force (the user's keymap applied), grouped by what it
does; made from the key table (``app/keys.py``)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from dlreader.app.components.key_scroll import KeyScroll
from dlreader.app.keys import help_rows
from dlreader.app.screens.dialog import DialogScreen


def help_table(keymap: Mapping[str, str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for number, (group, keys) in enumerate(help_rows(keymap)):
        if number:
            table.add_row("", "")
        table.add_row(Text(group, style="bold underline"), "")
        for key, meaning in keys:
            table.add_row(Text(key, style="bold"), Text(meaning))
    return table


class HelpScreen(DialogScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with KeyScroll(id="help", classes="dialog"):
            yield Static(Text("dlreader keys", style="bold"), id="help-title")
            yield Static(help_table(self.keymap), id="help-keys")
            yield Static(Text("Esc, q or ? closes this.", style="dim"), id="help-footer")
