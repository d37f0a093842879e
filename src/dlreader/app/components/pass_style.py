"""A line-API widget's ``rich_style``, worked out once per paint instead of once per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    # Not a DOMNode at run time: Textual takes a widget's CSS, component classes and
    # bindings from its first DOMNode base only, which must stay the real widget class.
    _Mixin = object


class StyleOncePerPass(_Mixin):
    """Mixed in before the widget's class. ``rich_style`` walks every ancestor blending
    backgrounds (~0.2 ms); a line-API widget reads it for each line it renders, and it
    cannot change within one pass: on the first paint that was ~9 ms of the topic tree's
    46 lines and ~4 ms of the link list's 24."""

    _pass_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass_style = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    @property
    def rich_style(self) -> Style:
        return self._pass_style or super().rich_style
