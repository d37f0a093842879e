"""Messages the app's background threads post to it (``post_message`` is thread-safe);
the store writer's own (``Written``, ``Replaced``, ``Failed``) are in writer.py."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from dlreader.reading import ReadingState


@dataclass
class CatalogLoaded(Message):
    """The full catalog is parsed and joined with the states."""

    state: ReadingState


@dataclass
class CatalogFailed(Message):
    """The list could not be loaded (the message is for the user)."""

    message: str


@dataclass
class LoadProgress(Message):
    """How far the full parse has got, 0.0 to 1.0."""

    fraction: float

    def can_replace(self, message: Message) -> bool:
        # Only the newest fraction matters: a queued older one is dropped.
        return isinstance(message, LoadProgress)


@dataclass
class RemoteRefreshed(Message):
    """The background refresh of a remote list is done: a new state, or only a notice."""

    state: ReadingState | None
    text: str


@dataclass
class SwitchList(Message):
    """The user chose another list of the library: the launcher opens it next."""

    source: str
