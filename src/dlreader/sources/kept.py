"""The kept copy of a remote list: ``<data dir>/lists/<name>-<hash>.md`` and its facts.

The facts (``.json`` beside it) are what a conditional request needs (ETag,
Last-Modified) and when the copy was fetched and last checked. Copies are facts about a
URL, not a user's state, so every user of the data dir shares them. A damaged facts
file only costs a full download.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from pathlib import Path

from msgspec import Struct
from msgspec.structs import asdict

from dlreader.fsutil import atomic_write, ensure_private_dir

_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


class KeptFacts(Struct):
    key: str
    url: str  # the URL the copy came from (for GitHub, the README name that existed)
    etag: str | None = None
    last_modified: str | None = None
    fetched: float = 0.0  # when the content last changed here (epoch seconds)
    checked: float = 0.0  # when the server was last asked


def lists_dir(data_dir: Path) -> Path:
    return data_dir / "lists"


def copy_path(data_dir: Path, key: str) -> Path:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    slug = _SLUG.sub("-", key.split(":", 1)[-1].strip("/"))[-60:].strip("-.") or "list"
    return lists_dir(data_dir) / f"{slug}-{digest}.md"


def facts_path(copy: Path) -> Path:
    return copy.with_suffix(".json")


def read_facts(copy: Path) -> KeptFacts | None:
    """The facts of a kept copy, or None when there is no usable copy."""
    if not copy.is_file():
        return None
    try:
        data = json.loads(facts_path(copy).read_text(encoding="utf-8"))
        return KeptFacts(
            key=str(data["key"]), url=str(data["url"]),
            etag=data.get("etag") if isinstance(data.get("etag"), str) else None,
            last_modified=(data.get("last_modified")
                           if isinstance(data.get("last_modified"), str) else None),
            fetched=float(data.get("fetched", 0.0)), checked=float(data.get("checked", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        # The copy is there but its facts are not: keep using it, as one never checked
        # (so the next refresh asks the server for the whole list again).
        try:
            fetched = copy.stat().st_mtime
        except OSError:
            return None
        return KeptFacts(key="", url="", fetched=fetched, checked=0.0)


def write_copy(copy: Path, body: bytes | None, facts: KeptFacts) -> None:
    """Keep ``body`` (None: only the facts change, after a 304); raises OSError."""
    ensure_private_dir(copy.parent)
    if body is not None:
        atomic_write(copy, body)
    atomic_write(facts_path(copy), json.dumps(asdict(facts), indent=1).encode("utf-8"))


def forget_copy(copy: Path) -> None:
    for path in (copy, facts_path(copy)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def age_seconds(facts: KeptFacts) -> float:
    return time.time() - facts.checked
