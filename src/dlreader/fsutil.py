"""Files dlreader writes and reads on the user's behalf, done one safe way.

Every write of a whole file (store, backups, exports, settings, parse cache) goes through
``atomic_write``: a 0600 temp file in the same directory, fsynced, renamed over the target,
the directory fsynced. A reader sees the old file or the new one, never a mix.

Every file dlreader reads because a user named it (a note file, a state export, the store)
is opened without blocking and must be a regular file: a FIFO would hang us and
``/dev/zero`` never ends. ``-`` means stdin, read up to the same size limit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from dlreader.errors import describe

FILE_MODE = 0o600
DIR_MODE = 0o700

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

#: What ``temp_name`` appends to a file's name: ``.<pid>.<8 hex>.tmp``.
TEMP_SUFFIX = r"\.\d+\.[0-9a-f]{8}\.tmp"

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


class NotRegularFile(OSError):
    """The path exists and is not a regular file (a FIFO, a device, a link, a directory)."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file", os.fspath(path))
        self.kind = kind


class TooBig(OSError):
    """The file (or stdin) holds more than the limit allows."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(errno.EFBIG, f"is larger than {describe_size(limit)}", os.fspath(path))
        self.limit = limit


def describe_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def file_kind(mode: int) -> str:
    """``a FIFO (named pipe)``, ``a character device`` ... for a non-regular ``st_mode``."""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


# -- directories ---------------------------------------------------------------------------


def ensure_private_dir(directory: Path, *, tighten: bool = False) -> None:
    """Make ``directory`` and every missing parent 0700 (``mkdir -p`` would make parents
    with the umask's mode). An existing directory is left as it is unless ``tighten``:
    then one of ours that others may read is made 0700 (for dirs only dlreader uses).
    """
    missing = []
    current = directory
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            path.mkdir(mode=DIR_MODE)
    if tighten:
        status = os.stat(directory)
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            os.chmod(directory, DIR_MODE)
    elif not directory.is_dir():
        directory.mkdir(mode=DIR_MODE)  # raises the right error (a file is in the way)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable. Some filesystems refuse; the rename stands."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | _CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- writing -------------------------------------------------------------------------------


def temp_name(path: Path) -> str:
    """The name of a temp file for ``path``; ``remove_stale_temps`` finds exactly these."""
    return f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"


def remove_stale_temps(directory: Path, name_pattern: str) -> int:
    """Delete temp files whose target name matches ``name_pattern`` (a regex, unanchored).

    Call only while no live writer can be using one (with the store's lock held).
    """
    pattern = re.compile(rf"^\.(?:{name_pattern}){TEMP_SUFFIX}$")
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if pattern.match(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _check_replaceable(path: Path) -> None:
    """Only a regular file (or nothing) may be renamed over: never a link or a device."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile(path, file_kind(status.st_mode))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def atomic_write_fd(
    path: Path, data: bytes, *, before_replace: Callable[[Path], object] | None = None,
    durable: bool = True,
) -> int:
    """Replace ``path`` with ``data`` (mode 0600) or leave it as it was; return the new fd.

    The still-open descriptor lets the caller pin and stat exactly the inode it wrote;
    nothing that can fail runs after the rename. ``before_replace(temp)`` may check the
    fsynced temp file and raise to abandon the write. A target that is a symlink, device
    or FIFO is refused (``NotRegularFile``), never replaced. Raises ``OSError``.
    ``durable=False``: no fsync (for a file whose loss or truncation in a crash is only a
    miss, a cache: its fsyncs were ~20 ms of each cold ``dump``).
    """
    _check_replaceable(path)
    temp = path.with_name(temp_name(path))
    # Created 0600 before any byte is written, so the data is never readable by others.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _NOFOLLOW, FILE_MODE)
    try:
        if hasattr(os, "fchmod"):  # a umask cannot widen the mode, but an ACL default could
            os.fchmod(fd, FILE_MODE)
        _write_all(fd, data)
        if durable:
            os.fsync(fd)
        if before_replace is not None:
            before_replace(temp)
        os.replace(temp, path)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(path.parent)
    return fd


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    before_replace: Callable[[Path], object] | None = None,
    durable: bool = True,
) -> None:
    """``atomic_write_fd`` for callers that do not need the descriptor."""
    os.close(atomic_write_fd(Path(path), data, before_replace=before_replace,
                             durable=durable))


def write_user_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a file the user named (``export -o``, ``state export``), mode 0600.

    A symlink is followed (the link stays, its target gets the data). If what is there is
    a regular file or nothing, it is replaced atomically; if it is a device or a FIFO
    (``/dev/stdout``, ``>(cmd)``) the data is written into it in place, never replacing
    the node; a FIFO nobody reads is refused instead of hanging. Raises ``OSError``.
    """
    target = Path(path)
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is None or stat.S_ISREG(status.st_mode):
        # The link's target is replaced, in its own directory; the link stays.
        atomic_write(os.path.realpath(target), data)
        return
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(path))
    if stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
        try:
            fd = os.open(target, os.O_WRONLY | _NONBLOCK | _CLOEXEC)
        except OSError as error:
            if error.errno == errno.ENXIO:  # a FIFO with no reader
                raise OSError(errno.ENXIO, "is a FIFO nobody is reading", os.fspath(path)) from None
            raise
        try:
            os.set_blocking(fd, True)
            _write_all(fd, data)
        finally:
            os.close(fd)
        return
    raise NotRegularFile(path, file_kind(status.st_mode))


# -- reading -------------------------------------------------------------------------------


def open_regular(path: str | os.PathLike[str], *, follow_links: bool = True) -> int:
    """A blocking read descriptor of a regular file; the open itself never blocks.

    Raises ``NotRegularFile`` for a FIFO, device, socket, directory (or a symlink when
    ``follow_links`` is false) and ``OSError`` (``FileNotFoundError`` ...) otherwise.
    """
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_links else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise NotRegularFile(path, "a symbolic link") from None
        if error.errno == errno.ENXIO:  # a socket
            raise NotRegularFile(path, "a socket") from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(path, file_kind(status.st_mode))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_fd(fd: int, *, limit: int | None = None, name: str = "") -> bytes:
    """Everything left in ``fd``; ``TooBig`` past ``limit`` bytes (the fd stays open)."""
    chunks = []
    total = 0
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:
            raise TooBig(name, limit)
    return b"".join(chunks)


def read_regular_bytes(
    path: str | os.PathLike[str], *, limit: int | None = None, follow_links: bool = True
) -> bytes:
    """The bytes of a regular file; never blocks on a FIFO, never reads a device.

    Raises ``NotRegularFile`` (see ``open_regular``), ``TooBig`` past ``limit`` bytes, or
    ``OSError``.
    """
    fd = open_regular(path, follow_links=follow_links)
    try:
        if limit is not None and os.fstat(fd).st_size > limit:
            raise TooBig(path, limit)
        return read_fd(fd, limit=limit, name=os.fspath(path))
    finally:
        os.close(fd)


def read_user_bytes(name: str, *, limit: int) -> bytes:
    """The bytes of the file the user named, or stdin for ``-``, at most ``limit`` bytes."""
    if name != "-":
        return read_regular_bytes(name, limit=limit)
    binary = getattr(sys.stdin, "buffer", None)
    if binary is not None:
        data = binary.read(limit + 1)
    else:  # a text stream standing in for stdin
        data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise TooBig("stdin", limit)
    return data


def read_user_text(name: str, *, limit: int) -> str:
    """``read_user_bytes`` decoded as UTF-8 (``UnicodeDecodeError`` if it is not)."""
    return read_user_bytes(name, limit=limit).decode("utf-8")


def describe_read_error(error: OSError | UnicodeDecodeError) -> str:
    """The reason part of a one-line message about a file that could not be read."""
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte {error.start})"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return describe(error)
