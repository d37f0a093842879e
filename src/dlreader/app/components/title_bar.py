"""The top line: the list's name, the user and overall progress.

One line drawn by ``render`` rather than Textual's Header: it is all the header shows, it
keeps the first paint light, and an update (every change of the progress) is a repaint of
one line, not a re-layout of the screen as ``Static.update`` would be.
"""

from __future__ import annotations

from rich.text import Text
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.list_name = ""
        self.status = ""
        self._text = Text()

    def render(self) -> Text:
        return self._text

    def show(self, list_name: str, status: str) -> None:
        self.list_name = list_name
        self.status = status
        text = Text(no_wrap=True, overflow="ellipsis", justify="center")
        text.append(display_line(list_name), style="bold")
        if status:
            text.append("  —  ", style="dim")
            text.append(status, style="dim")
        self._text = text
        self.refresh()  # one fixed line: a repaint, never a re-layout
