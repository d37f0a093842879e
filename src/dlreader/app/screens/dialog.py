"""The base of every modal dialog: over the reading screen, whose keys rest meanwhile."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class DialogScreen(ModalScreen[Result]):
    """A modal screen styled as a dialog (``.dialog-screen`` in app.tcss).

    The reading screen's bindings are inactive while one is on top (Textual only looks at
    the active screen's bindings), so a dialog binds only its own keys.
    """

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
