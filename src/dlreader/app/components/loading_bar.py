"""A one-line progress bar shown while the full list is parsed or the links are checked
(hidden otherwise)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class LoadingBar(Widget):
    DEFAULT_CSS = """
    LoadingBar {
        height: 1;
        width: 100%;
        padding: 0 1;
        display: none;
    }
    LoadingBar.-active {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fraction = 0.0
        self.label = "Reading the list"  # the link check says "Checking links"

    def render(self) -> Text:
        width = max(10, self.size.width - 24)
        filled = round(width * self.fraction)
        text = Text(no_wrap=True)
        text.append(f"{self.label} ", style="dim")
        text.append("━" * filled, style="bold")
        text.append("─" * (width - filled), style="dim")
        text.append(f" {100 * self.fraction:3.0f}%")
        return text

    def start(self) -> None:
        self.set_progress(0.0)
        self.add_class("-active")

    def stop(self) -> None:
        self.remove_class("-active")

    def set_progress(self, fraction: float) -> None:
        self.fraction = max(0.0, min(1.0, fraction))
        self.refresh()  # a repaint of one line, not a re-layout
