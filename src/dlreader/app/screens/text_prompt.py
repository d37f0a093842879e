"""One line of text asked for in a dialog: tags (``t``) and the item's own title (``T``)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from dlreader.app.screens.dialog import DialogScreen


class TextPrompt(DialogScreen[str | None]):
    """Enter dismisses with the text, Esc with None. Labels are shown literally."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, question: str, value: str = "", *, hint: str = "",
                 placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Static(Text(self.question, style="bold"), markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Text(self.hint or "Enter saves, Esc cancels", style="dim"),
                         id="prompt-hint", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))  # at once: keys typed next land here

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
