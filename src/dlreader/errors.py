"""Errors that reach the user as one line and an exit code, never as a traceback."""

from __future__ import annotations

# Exit codes, documented in `dlreader --help`.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_DAMAGED = 3
EXIT_BUSY = 4
EXIT_OFFLINE = 5
EXIT_INTERRUPTED = 130


def describe(error: BaseException) -> str:
    """The reason part of a one-line message: an OSError's ``strerror`` (no ``[Errno n]``
    prefix, no file name: the message names the file itself), else the error's text."""
    return str(getattr(error, "strerror", None) or error)


class DlreaderError(Exception):
    """An error with a message meant for the user and the exit code it maps to."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(DlreaderError):
    """Bad arguments or bad input (a missing file, an unknown item)."""

    exit_code = EXIT_USAGE


class CatalogError(UsageError):
    """The reading list cannot be read: missing, a directory, binary, not UTF-8."""


class StoreError(DlreaderError):
    """Base for problems with the user's state file."""


class StoreDamaged(StoreError):
    """The state file exists but is not a valid store; it is kept as it is."""

    exit_code = EXIT_DAMAGED


class StoreTooNew(StoreError):
    """The state file was written by a newer dlreader (a newer schema)."""

    exit_code = EXIT_DAMAGED


class StoreBusy(StoreError):
    """Another process holds the store's lock longer than we may wait."""

    exit_code = EXIT_BUSY


class StoreWriteError(StoreError):
    """A write failed (disk full, read-only, permission); the old file is intact."""

    exit_code = EXIT_FAILURE


class Offline(DlreaderError):
    """No server could be reached at all: nothing is marked, since offline is not dead."""

    exit_code = EXIT_OFFLINE
