"""From what ``--source`` says to the file to read: a path, a URL, a repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dlreader import locations
from dlreader.sources.spec import RemoteSpec, is_remote, remote_spec

BUNDLED_KEY = "bundled"


@dataclass(frozen=True, slots=True)
class OpenedList:
    """A list ready to be read from ``path``."""

    path: Path  # the local file (a remote list's kept copy)
    key: str  # what the library and the per-list state know it by
    remote: RemoteSpec | None = None
    notice: str | None = None  # e.g. offline: the kept copy is used

    @property
    def base_url(self) -> str | None:
        return self.remote.base_url if self.remote else None


def local_key(path: Path) -> str:
    if path == locations.default_list_path():
        return BUNDLED_KEY
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def open_source(value: str | None, data_dir: Path, *, refresh_stale: bool) -> OpenedList:
    """The list ``value`` names (None: the bundled one); remote lists are downloaded once.

    Raises ``DownloadError``/``UsageError`` (exit 2) with one line.
    """
    if not value:
        return OpenedList(locations.default_list_path(), BUNDLED_KEY)
    if is_remote(value):
        from dlreader.sources.remote import ensure_copy

        spec = remote_spec(value)
        copy, notice = ensure_copy(spec, data_dir, refresh_stale=refresh_stale)
        return OpenedList(copy, spec.key, spec, notice)
    path = Path(value).expanduser()
    return OpenedList(path, local_key(path))
