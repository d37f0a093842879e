"""The parsed-catalog cache: the catalog's records as JSON, one file per list content.

Keyed by the sha256 of the file's bytes, PARSER_VERSION and a fingerprint of the catalog's
records (every field name and type, nested ones included), so an edited list, a new
parser or a new field simply misses. The cache is only an optimisation: any problem
reading it means "no cache" (and a re-parse); a failure to write it is ignored.

JSON, never pickle: a file planted in the cache dir is data, it cannot run code. msgspec
encodes and decodes it from the records' own type hints (nested Structs, lists,
tuples, dicts, Optional, Literal), validating every value as it goes, so a new field in
``model.py`` needs no code here. The cache dir is made 0700 and files are written 0600.
"""

from __future__ import annotations

import gc
import re
import sys
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

import msgspec
from msgspec import Struct

from dlreader import locations
from dlreader.catalog.model import Catalog
from dlreader.fsutil import atomic_write, ensure_private_dir, read_regular_bytes

# Bump whenever the parser's output for the same input changes.
PARSER_VERSION = 12


def content_key(data: bytes, base_url: str | None = None) -> str:
    """The key of a list's bytes; the same text parses differently against another base
    URL (its relative links resolve to it), so the base is part of the key."""
    import hashlib  # here: it loads OpenSSL, and a warm start finds the key by stat

    if base_url is not None:
        data = data + b"\0" + base_url.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _record_shapes(root: type[Struct]) -> list[str]:
    """``Name(field: type, ...)`` for ``root`` and every Struct its fields reach, each
    type as written, with the module-level names it uses (``PassageKind=Literal[...]``).

    From the annotations' text, not ``typing.get_type_hints`` (which evaluates every one:
    ~3-5 ms of each start, where the cache's name is first asked for).
    """
    shapes: list[str] = []
    seen: set[type[Struct]] = set()
    pending: list[type[Struct]] = [root]
    while pending:
        kind = pending.pop()
        if kind in seen:
            continue
        seen.add(kind)
        names = vars(sys.modules[kind.__module__])
        annotations: dict[str, object] = {}
        for base in reversed(kind.__mro__):
            annotations.update(vars(base).get("__annotations__", {}))
        fields = []
        for name in kind.__struct_fields__:
            hint = annotations[name]
            written = hint if isinstance(hint, str) else repr(hint)
            uses = []
            for word in sorted(set(_NAME.findall(written))):
                value = names.get(word)
                if isinstance(value, type) and issubclass(value, Struct):
                    pending.append(value)
                elif value is not None and not isinstance(value, type | ModuleType):
                    uses.append(f"{word}={value!r}")  # an alias: its meaning counts
            fields.append(f"{name}: {written}{' ' + ' '.join(uses) if uses else ''}")
        shapes.append(f"{kind.__name__}({', '.join(fields)})")
    return sorted(shapes)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def shape_fingerprint() -> str:
    """Changes whenever a field is added to, removed from or retyped in the catalog.

    A checksum, not a digest: it tells one shape of our own code from another (msgspec
    still validates every cached value), and zlib is loaded anyway, hashlib is not.
    """
    shapes = "\n".join(_record_shapes(Catalog)).encode()
    return f"{zlib.crc32(shapes):08x}"


def cache_path(key: str) -> Path:
    name = f"{key[:32]}-v{PARSER_VERSION}-{shape_fingerprint()}.json"
    return locations.cache_dir() / "catalogs" / name


@cache
def _decoder() -> msgspec.json.Decoder[Catalog]:
    return msgspec.json.Decoder(Catalog)


def encode(catalog: Catalog) -> bytes:
    return msgspec.json.encode(catalog)


def decode(data: bytes) -> Catalog:
    """The catalog in ``data``; ``msgspec.ValidationError``/``DecodeError`` if it is not one."""
    # Decoding makes ~10^5 objects and no cycles: the cyclic GC would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _decoder().decode(data)
    finally:
        if gc_was_enabled:
            gc.enable()


def load(key: str, source: str) -> Catalog | None:
    """The cached catalog for this content, with ``source`` as given, or None."""
    try:
        # A regular file only: a FIFO planted under the cache name must not hang us.
        catalog = decode(read_regular_bytes(cache_path(key), follow_links=False))
    except Exception:  # missing, corrupt, truncated, old shape, too deep: all mean "no cache"
        return None
    catalog.move_to(source)
    return catalog


def store(key: str, catalog: Catalog) -> bool:
    """Write the catalog atomically; False (and no exception) if that fails."""
    return write_file(cache_path(key), lambda: encode(catalog))


def write_file(path: Path, data: Callable[[], bytes]) -> bool:
    """Write a file of the cache dir atomically; False (and no exception) if that fails."""
    try:
        # Ours alone, so an old 0755 one is tightened: nobody else may plant a file here.
        ensure_private_dir(path.parent, tighten=True)
        # Not fsynced: after a crash a lost or cut-off file is a miss, never a wrong answer
        # (msgspec validates all of it), and the caller would wait for the disk.
        atomic_write(path, data(), durable=False)
        return True
    except Exception:  # read-only or full disk: the cache is only an optimisation
        return False
