"""The note editor: a modal text area. Ctrl+S saves, Esc cancels (asking if edited).

A TextArea draws its lines as they are, so what it holds is kept fit for the store and the
terminal (``clean_store_text``): the note it opens with, and everything pasted into it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from dlreader.app.screens.dialog import DialogScreen
from dlreader.textsafe import clean_store_text, display_line


class NoteTextArea(TextArea):
    """A TextArea into which no control character can be pasted."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_store_text(event.text)
        await super()._on_paste(event)


class NoteEditor(DialogScreen[str | None]):
    """Dismisses with the new note on save, None on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.item_title = title
        # An old store may hold control characters (dlreader 1 let them in).
        self.original = clean_store_text(note)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="dialog"):
            title = display_line(self.item_title)
            yield Static(Text.assemble(("Note on ", "dim"), (title, "bold")),
                         id="note-editor-title", markup=False)
            yield NoteTextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="indent",
                           show_line_numbers=False)
            yield Static(Text("Ctrl+S save · Esc cancel · markdown", style="dim"),
                         id="note-editor-help", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return clean_store_text(self.query_one(TextArea).text)

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
