"""The footer: Textual's, recomposed only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer re-mounts every key and re-lays out the screen whenever the screen
    says its bindings may have changed. A focus change says so twice, the second time
    after the next refresh: often inside the next key's frame, where it cost 40-80 ms on
    the seed x100 on a busy machine although the same keys were shown. Here a recompose
    happens only when the shown keys (or their enabled state) differ."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed_for: tuple[object, ...] | None = None

    def _shown(self, screen: Screen[Any]) -> tuple[object, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.action, binding.description, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        will_compose = screen.app.app_focus and self.is_attached and screen is self.screen
        if will_compose:
            shown = self._shown(screen)
            if shown == self._composed_for:
                return
            self._composed_for = shown
        super().bindings_changed(screen)
