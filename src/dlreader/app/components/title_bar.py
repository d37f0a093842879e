"""The top line: the list's name, the user and overall progress.

One line drawn by ``render`` rather than Textual's Header: it is all the header shows, it
keeps the first paint light, and an update (every change of the progress) is a repaint of
one line, not a re-layout of the screen as ``Static.update`` would be.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.reactive import reactive
from textual.widget import Widget

from dlreader.textsafe import display_line


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        width: 100%;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    # A change repaints the one fixed line (a reactive's default: never a re-layout).
    list_name: reactive[str] = reactive("")
    status: reactive[str] = reactive("")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", justify="center")
        text.append(display_line(self.list_name), style="bold")
        if self.status:
            text.append("  —  ", style="dim")
            text.append(self.status, style="dim")
        return text

    def set_titles(self, title: str | None, status: str | None) -> None:
        """Show the list's name and the status (None: unchanged); the App keeps them as
        its title and sub-title, set without their reactives' repaint: that repaints the
        whole screen (8 ms of every mark on the seed x100 at 160x50), for one line."""
        app = self.app
        if title is not None:
            app.set_reactive(App.title, title)
        if status is not None:
            app.set_reactive(App.sub_title, status)
        self.list_name, self.status = app.title, app.sub_title
