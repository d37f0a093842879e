"""Messages the app's background threads post to it (``post_message`` is thread-safe);
the store writer's own (``Written``, ``Replaced``, ``Failed``) are in writer.py.

Plain ``__init__``s, not ``@dataclass``: a dataclass Message class takes ~0.9 ms to build
on Python 3.11 (generated source, exec'd), a plain one ~50 us, and these are built at
every start (see docs/CONTRACTS.md, "Records").
"""

from __future__ import annotations

from textual.message import Message

from dlreader.reading import ReadingState


class CatalogLoaded(Message):
    """The full catalog is parsed and joined with the states."""

    def __init__(self, state: ReadingState) -> None:
        super().__init__()
        self.state = state


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

    def can_replace(self, message: Message) -> bool:
        # Only the newest fraction matters: a queued older one is dropped.
        return isinstance(message, LoadProgress)


class RemoteRefreshed(Message):
    """The background refresh of a remote list is done: a new state, or only a notice."""

    def __init__(self, state: ReadingState | None, text: str) -> None:
        super().__init__()
        self.state = state
        self.text = text


class SwitchList(Message):
    """The user chose another list of the library: the launcher opens it next."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
