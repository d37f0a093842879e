"""A one-line progress bar shown while the full list is parsed or the links are checked
(hidden otherwise)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


def loading_bar(screen: Widget) -> LoadingBar:
    """``screen``'s bar, mounted the first time it is wanted: a start from the parse cache
    shows none, and mounts it with the footer, after the first links (in their frame it
    was ~2 ms of styling and layout for a hidden line)."""
    for bar in screen.query(LoadingBar):
        return bar
    bar = LoadingBar(id="loading")
    screen.mount(bar)
    return bar


def stop_loading_bar(screen: Widget) -> None:
    """Hide ``screen``'s bar, if it has one (mounting none)."""
    for bar in screen.query(LoadingBar):
        bar.active = False


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

    # Each change is a repaint of one line, never a re-layout.
    fraction: reactive[float] = reactive(0.0)
    label: reactive[str] = reactive("Reading the list")  # the link check: "Checking links"
    active: reactive[bool] = reactive(False)  # shown only while something is under way

    def validate_fraction(self, fraction: float) -> float:
        return max(0.0, min(1.0, fraction))

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")

    def render(self) -> Text:
        width = max(10, self.size.width - 24)
        filled = round(width * self.fraction)
        text = Text(no_wrap=True)
        text.append(f"{self.label} ", style="dim")
        text.append("━" * filled, style="bold")
        text.append("─" * (width - filled), style="dim")
        text.append(f" {100 * self.fraction:3.0f}%")
        return text

    def start(self, label: str | None = None) -> None:
        """Show the bar from 0 (with ``label``, else the one it has)."""
        if label is not None:
            self.label = label
        self.fraction = 0.0
        self.active = True
