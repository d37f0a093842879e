"""The base of every modal dialog: over the reading screen, whose keys rest meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual.app import App

Result = TypeVar("Result")

DIALOG_CSS = Path(__file__).with_name("dialogs.tcss")


def preload_dialog_styles(app: App[Any]) -> None:
    """Add the dialogs' rules to the app's stylesheet once the first links are on screen.

    Parsing them with app.tcss cost a start-up ~6 ms; left to the first dialog, Textual
    would parse every rule of the app again as it opens (the file is new to the sheet).
    """
    if not app.stylesheet.has_source(str(DIALOG_CSS), ""):
        app.stylesheet.read(DIALOG_CSS)


class DialogScreen(ModalScreen[Result]):
    """A modal screen styled as a dialog (``.dialog-screen`` in dialogs.tcss).

    The reading screen's bindings are inactive while one is on top (Textual only looks at
    the active screen's bindings), so a dialog binds only its own keys.
    """

    CSS_PATH = DIALOG_CSS

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
