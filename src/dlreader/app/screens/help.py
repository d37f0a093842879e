"""The ``?`` screen: every key, grouped by what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Moving", (
        ("Tab / Shift+Tab", "next / previous pane"),
        ("↑ ↓  j k", "move in the tree or the list"),
        ("Enter  →  l", "expand a topic (tree); open the link (list)"),
        ("←  h", "collapse a topic, or go to its parent"),
        ("PgUp PgDn  g G", "page, first, last (list)"),
        ("a", "list this topic only / with all subtopics"),
    )),
    ("Marking", (
        ("space", "read ⇄ unread (list); mark the whole topic read (tree)"),
        ("r", "reading"),
        ("x", "skipped"),
        ("1 2 3 0", "priority high / medium / low / none"),
        ("n", "edit the note (Ctrl+S saves, Esc cancels)"),
        ("E", "edit the note in $EDITOR"),
        ("u  Ctrl+Z", "undo (several steps)"),
        ("Ctrl+Y", "redo"),
    )),
    ("Finding", (
        ("/", "search titles, URLs, notes and passages"),
        ("f", "filter: all / unread / prioritised / noted / new / dead links"),
        ("N", "count every new item as seen (NEW marks go)"),
        ("L", "switch to another list of your library"),
        ("s", "sort: list order / priority / status"),
    )),
    ("Elsewhere", (
        ("o", "open the link in the browser (a dead one: offers the archived copy)"),
        ("w", "open the archived copy (web.archive.org)"),
        ("C", "check every link in the background"),
        ("c", "copy the link"),
        ("]", "next link of the item (Demo, Source Code...): o and c use it"),
        ("e", "export notes to markdown"),
        ("Ctrl+P", "command palette (every action; themes)"),
        ("?", "this help"),
        ("q", "quit"),
    )),
)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for number, (group, keys) in enumerate(KEY_GROUPS):
        if number:
            table.add_row("", "")
        table.add_row(Text(group, style="bold underline"), "")
        for key, meaning in keys:
            table.add_row(Text(key, style="bold"), Text(meaning))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Text("dlreader keys", style="bold"), id="help-title")
            yield Static(help_table(), id="help-keys")
            yield Static(Text("Esc, q or ? closes this.", style="dim"), id="help-footer")
