"""The floor for start-up: a bare Textual app showing one label."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("bare app ready")


if __name__ == "__main__":
    BareApp().run()
