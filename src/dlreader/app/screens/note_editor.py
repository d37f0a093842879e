"""The note editor: a modal text area. Ctrl+S saves, Esc cancels (asking if edited)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from dlreader.textsafe import one_line


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the new note on save, None on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__(classes="dialog-screen")
        self.item_title = title
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="dialog"):
            yield Static(Text.assemble(("Note on ", "dim"), (one_line(self.item_title), "bold")),
                         id="note-editor-title", markup=False)
            yield TextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="indent",
                           show_line_numbers=False)
            yield Static(Text("Ctrl+S save · Esc cancel · markdown", style="dim"),
                         id="note-editor-help", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return
        from dlreader.app.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the edits to this note?", yes="Discard",
                                           no="Keep editing"), answered)
