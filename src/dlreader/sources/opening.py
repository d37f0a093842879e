"""From what ``--source`` says to the file to read: a path, a URL, a repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msgspec import Struct

from dlreader import locations
from dlreader.sources.spec import RemoteSpec, is_remote, remote_spec

BUNDLED_KEY = "bundled"


class OpenedList(Struct, frozen=True):
    """A list ready to be read from ``path``."""

    path: Path  # the local file (a remote list's kept copy)
    key: str  # what the library and the per-list state know it by
    name: str  # the short name it is offered under in the library
    source: str  # what opens it again: a URL, github:owner/repo, a path ("" for bundled)
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


def open_source(
    value: str | None,
    data_dir: Path,
    *,
    refresh_stale: bool,
    lookup: Callable[[str], str | None] | None = None,
) -> OpenedList:
    """The list ``value`` names (None: the bundled one); remote lists are downloaded once.

    ``lookup`` turns a library name into the source it stands for (a name is tried only
    when no file of that name exists). Raises ``DownloadError``/``UsageError`` (exit 2).
    """
    if not value:
        bundled = locations.default_list_path()
        return OpenedList(bundled, BUNDLED_KEY, bundled.stem, "")
    if is_remote(value):
        from dlreader.sources.remote import ensure_copy

        spec = remote_spec(value)
        copy, notice = ensure_copy(spec, data_dir, refresh_stale=refresh_stale)
        return OpenedList(copy, spec.key, spec.name, spec.key, spec, notice)
    path = Path(value).expanduser()
    if lookup is not None and not path.exists():
        named = lookup(value)
        if named is not None:
            return open_source(named or None, data_dir, refresh_stale=refresh_stale)
    key = local_key(path)
    return OpenedList(path, key, path.stem or "list", "" if key == BUNDLED_KEY else key)
