"""Messages the app's background threads post to it (``post_message`` is thread-safe)."""

from __future__ import annotations

from textual.message import Message

from dlreader.reading import ReadingView


class StoreReport(Message):
    """A result from the writer thread (posted from that thread)."""

    def __init__(self, result: object) -> None:
        super().__init__()
        self.result = result


class CatalogLoaded(Message):
    """The full catalog is parsed and joined with the states."""

    def __init__(self, view: ReadingView) -> None:
        super().__init__()
        self.view = view


class CatalogFailed(Message):
    """The list could not be loaded (the message is for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class LoadProgress(Message):
    """How far the full parse has got, 0.0 to 1.0."""

    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction


class RemoteRefreshed(Message):
    """The background refresh of a remote list is done: a new view, or only a notice."""

    def __init__(self, view: ReadingView | None, text: str) -> None:
        super().__init__()
        self.view = view
        self.text = text
