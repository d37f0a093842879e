"""Reading a list from disk: clear one-line errors for bad files, and the parse cache."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dlreader.catalog import cache, key_index
from dlreader.catalog.chunks import OFFLOAD_MIN_CHARS, has_reference_definition
from dlreader.catalog.model import Catalog
from dlreader.errors import CatalogError, describe
from dlreader.fsutil import NotRegularFile, read_regular_bytes
from dlreader.textsafe import unix_newlines

if TYPE_CHECKING:
    from dlreader.catalog.model import Topic
    from dlreader.catalog.parser import Progress

_BOM = b"\xef\xbb\xbf"


def read_list_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes; CatalogError naming the file and the problem otherwise."""
    path = Path(path)
    try:
        # Opened without blocking and checked before reading: a FIFO would block and
        # /dev/zero would be read until memory runs out.
        data = read_regular_bytes(path)
    except NotRegularFile as error:
        if error.kind == "a directory":
            raise CatalogError(f"{path}: is a directory, not a markdown file") from None
        raise CatalogError(f"{path}: is not a regular file") from None
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except PermissionError:
        raise CatalogError(f"{path}: permission denied") from None
    except OSError as error:
        raise CatalogError(f"{path}: cannot be read ({describe(error)})") from None
    if b"\x00" in data:
        raise CatalogError(f"{path}: is a binary file, not markdown text")
    return data


def decode_list(path: str | os.PathLike[str], data: bytes) -> str:
    """UTF-8 text with any BOM removed and line endings made ``\\n``."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"{path}: is not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    return unix_newlines(text)


def _read_and_key(path: str | os.PathLike[str], base_url: str | None) -> tuple[bytes, str]:
    """The file's bytes and their content key, which the key index then remembers."""
    try:
        before = os.stat(path)
    except OSError:
        before = None  # read_list_bytes says what is wrong
    data = read_list_bytes(path)
    key = cache.content_key(data, base_url)
    if before is not None:
        key_index.remember(path, base_url, key, before)
    return data, key


def read_list_text(path: str | os.PathLike[str]) -> str:
    """The list's text. Raises CatalogError: missing, a directory, binary, not UTF-8."""
    return decode_list(path, read_list_bytes(path))


def _parse(
    text: str, source: str, base_url: str | None, progress: Progress | None, offload: bool,
    fork: bool = False,
) -> Catalog:
    # The one call of the parser for a list file. base_url (a downloaded list's URL)
    # resolves its relative links. (Imported here: a cache hit never needs markdown-it.)
    from dlreader.catalog.parser import parse_catalog

    return parse_catalog(text, source, progress=progress, base_url=base_url, offload=offload,
                         fork=fork)


def load_catalog(
    path: str | os.PathLike[str],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    base_url: str | None = None,
    offload: bool = False,
    fork: bool = False,
) -> Catalog:
    """The parsed list, from the content-hash cache when it has this exact content (and
    base URL: relative links resolve against it, see ``parse_catalog``, as for
    ``offload`` and ``fork``)."""
    data, key = _read_and_key(path, base_url)
    source = str(path)
    if use_cache:
        cached = cache.load(key, source)
        if cached is not None:
            if progress is not None:
                progress(1.0)
            return cached
    catalog = _parse(decode_list(path, data), source, base_url, progress, offload, fork)
    if use_cache:
        cache.store(key, catalog)
    return catalog


def cached_catalog(path: str | os.PathLike[str], *, base_url: str | None = None) -> Catalog | None:
    """The cached parse of the file as it is now, or None; never parses, never raises."""
    key = key_index.known_key(path, base_url)
    if key is None:
        try:
            key = _read_and_key(path, base_url)[1]
        except CatalogError:
            return None
    return cache.load(key, str(path))


class LoadAbandoned(Exception):
    """``BackgroundLoad.result()`` after ``abandon()``."""


class BackgroundLoad:
    """``load_catalog`` begun early in a thread, for the app: the launcher starts it before
    Textual is even imported, so the parse's worker processes run while the app starts
    (on a cold 1 MB list whose first links wait for the full parse that was most of the
    wait).

    A list whose first topic the screen previews (see ``_previewed``) waits for
    ``result()`` instead: the workers would take the two cores from the app's own start,
    and its first links came later (2.9 s against 1.6 s on a 1.2 MB list) and its full
    catalog no sooner.

    The tree's topics and the preview, what the screen shows first, are computed in a
    forked child meanwhile (``outline``, ``preview``; where it cannot fork, the screen
    computes them itself).
    """

    def __init__(self, path: str | os.PathLike[str], *, base_url: str | None = None) -> None:
        import threading

        from dlreader.catalog.forked import ForkedWork

        # Forked first: a fork is only safe while this process has no other thread.
        self._head_start = ForkedWork.start(lambda: _outline_and_preview(Path(path)))
        self.path = Path(path)
        self.base_url = base_url
        self.on_progress: Progress | None = None
        self._done = threading.Event()
        self._catalog: Catalog | None = None
        self._error: BaseException | None = None
        self._wanted = threading.Event()  # result() was asked for
        self._abandoned = False  # see abandon
        self.waiting = threading.Event()  # set while a previewed list waits for result()
        threading.Thread(target=self._run, name="list prefetch", daemon=True).start()

    def _progress(self, fraction: float) -> None:
        callback = self.on_progress
        if callback is not None:
            callback(fraction)

    def _previewed(self) -> bool:
        """Will the screen preview the first topic? A guess that needs no markdown-it (it
        would be imported beside Textual): only a reference definition, which could
        change the first topic's links, says no. A wrong yes (a first topic too long to
        preview) only starts the parse when the screen asks, after its preview."""
        try:
            return not has_reference_definition(read_list_text(self.path))
        except Exception:  # the load itself reports the problem
            return False

    def _run(self) -> None:
        head_start = self._head_start
        try:
            # The child answers first of all, sparing this process's interpreter (which
            # is importing Textual) the read and the search of the whole list.
            if (self._previewed() if head_start is None
                    else head_start.get("previewed", self._previewed)):
                self.waiting.set()
                self._wanted.wait()
                self.waiting.clear()
            self._catalog = load_catalog(self.path, progress=self._progress,
                                         base_url=self.base_url, offload=True)
        except BaseException as error:  # handed to whoever waits for the result
            self._error = error
        finally:
            if head_start is not None:
                # The screen may never ask (it found the list cached meanwhile): the
                # child, done or blocked on a full pipe, is reaped here all the same.
                head_start.close()
            self._done.set()

    def outline(self, scan: Callable[[], list[Topic]]) -> list[Topic]:
        """The tree's topics as ``scan`` gives them, from the forked child if it could."""
        if self._head_start is None:
            return scan()
        return self._head_start.get("outline", scan)

    def preview(self, parse: Callable[[], Catalog | None]) -> Catalog | None:
        """The preview as ``parse`` gives it, from the forked child if it could (the last
        thing the child makes: it is reaped)."""
        if self._head_start is None:
            return parse()
        try:
            return self._head_start.get("preview", parse)
        finally:
            self._head_start.close()

    def abandon(self) -> None:
        """Nobody will use the result (the screen is going): ``result()`` raises
        LoadAbandoned at once instead of waiting. The app's thread that waited was
        joined at its exit, so a quit in the middle of a big list's parse waited for all
        of it (1-3 s); the parse goes on in this daemon thread, which exit stops."""
        if not self._done.is_set():
            self._abandoned = True
            self._done.set()

    def result(self) -> Catalog:
        """The catalog (waits for it); raises what loading raised."""
        self._wanted.set()
        self._done.wait()
        if self._abandoned:
            raise LoadAbandoned(f"{self.path}: no longer wanted")
        if self._error is not None:
            raise self._error
        assert self._catalog is not None
        return self._catalog


def _outline_and_preview(path: Path) -> Iterator[tuple[str, object]]:
    """What ``BackgroundLoad``'s forked child computes (as it and the screen would, see
    app/loading.py): whether the screen previews, the outline, then the preview."""
    from dlreader.catalog.outline import outline_of, preview_of, scan_list

    text = read_list_text(path)
    yield "previewed", not has_reference_definition(text)
    scan = scan_list(text)  # one scan for both
    yield "outline", outline_of(scan, str(path))
    yield "preview", preview_of(scan, str(path))


def prefetch(path: str | os.PathLike[str], *, base_url: str | None = None
             ) -> BackgroundLoad | None:
    """Start loading a list that has no parse cache and is big enough to be worth it."""
    known = key_index.known_key(path, base_url)
    if known is not None and cache.cache_path(known).exists():
        return None
    try:
        data, key = _read_and_key(path, base_url)
    except CatalogError:
        return None  # the app's own load reports it
    if len(data) < OFFLOAD_MIN_CHARS or cache.cache_path(key).exists():
        return None
    return BackgroundLoad(path, base_url=base_url)

