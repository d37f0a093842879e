"""A scrolling pane that takes the link list's moving keys too (Details, the help)."""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll


class KeyScroll(VerticalScroll):
    """↑ ↓ PgUp PgDn Home End scroll it (Textual's bindings); j k g G as in the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    # Each key scrolls at once, as the list's cursor moves. Textual's own actions defer
    # the scroll to the next refresh (and animate it), each from where the last one
    # started: three j in quick succession in the terminal scrolled one line.
    def _scroll_to_line(self, line: float) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=line, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._scroll_to_line(self.scroll_y + 1)

    def action_scroll_up(self) -> None:
        self._scroll_to_line(self.scroll_y - 1)

    def action_page_down(self) -> None:
        self._scroll_to_line(self.scroll_y + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_to_line(self.scroll_y - self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._scroll_to_line(0)

    def action_scroll_end(self) -> None:
        self._scroll_to_line(self.max_scroll_y)
