"""The top line: the list's name, the user and overall progress.

A one-line Static rather than Textual's Header: it is all the header shows, and it keeps
the first paint light (no clock, icon or title widgets to build and style).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from dlreader.textsafe import one_line


class TitleBar(Static):
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
        super().__init__("", id=id, markup=False)
        self.list_name = ""
        self.status = ""

    def show(self, list_name: str, status: str) -> None:
        self.list_name = list_name
        self.status = status
        text = Text(no_wrap=True, overflow="ellipsis", justify="center")
        text.append(one_line(list_name), style="bold")
        if status:
            text.append("  —  ", style="dim")
            text.append(status, style="dim")
        self.update(text)
