"""The reading screen's actions on what is shown: ``z`` zooms the focused pane to the
whole screen (Textual's maximize: ``z`` again or Esc comes back), and the help. Mixed
into ``ReadingScreen`` (app/screens/reading.py); its handlers go by name (Textual finds
those through the class's bases).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    class _ReadingScreenPart(Screen[None]):
        """What these actions use of the reading screen."""

        keymap: Mapping[str, str]

        def _notify(self, message: str, *, severity: Any = "information",
                    timeout: float | None = None, markup: bool = False) -> None: ...
else:
    _ReadingScreenPart = object

ZOOMABLE = ("tree", "items", "detail")
BACK_HINT = "z or Esc: back"
LIST_TITLE = "Links"


class ViewActions(_ReadingScreenPart):
    # The title bar, the loading bar and the footer stay with a zoomed pane.
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str | None] = "TitleBar, LoadingBar, Footer"

    def action_zoom(self) -> None:
        """The focused pane fills the screen, or the zoomed one goes back."""
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        pane = next((p for p in self.query(", ".join(f"#{i}" for i in ZOOMABLE))
                     if focused is not None and (focused is p or p in focused.ancestors)),
                    None)
        if pane is None:
            self._notify("Tab to the topics, the links or Details first: z zooms that pane.",
                         severity="warning")
            return
        self.maximize(pane, container=False)

    def watch_maximized(self, old: Widget | None, new: Widget | None) -> None:
        if old is not None:
            old.border_subtitle = ""
        if new is not None:
            new.border_subtitle = BACK_HINT
        self.title_zoomed_list()

    def title_zoomed_list(self) -> None:
        """The zoomed list's border says what the header line above it (hidden with the
        other panes: only the screen's own children can stay) says; else "Links"."""
        from dlreader.app.components.item_list import ListHeader

        items = self.query("#items")
        header = self.query(ListHeader)
        if not items or not header:
            return
        pane = items.first()
        if self.maximized is pane:
            # The border's corners and the title's padding take 4 cells.
            pane.border_title = header.first().line(max(1, pane.size.width - 4))
        else:
            pane.border_title = LIST_TITLE

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A jump elsewhere (search, the queue, undo) focuses another pane: show them all,
        # rather than leave the focused pane hidden behind the zoomed one.
        zoomed = self.maximized
        if zoomed is not None and event.widget is not zoomed and \
                zoomed not in event.widget.ancestors:
            self.minimize()

    def action_help(self) -> None:
        from dlreader.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.keymap))
