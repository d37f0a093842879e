"""What is known about each URL, kept in one ``links.json`` in the data dir.

These are facts about URLs, not a user's state, so one file serves every user. It is
written atomically (temp file + rename, like the store); a damaged file is set aside as
``links.json.damaged-<time>`` and rebuilt, never fatal. Everything read from it is made
terminal-safe again, since another program (or person) may have written it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from dlreader.fsutil import atomic_write
from dlreader.textsafe import one_line

LINKS_FILE = "links.json"
FORMAT_VERSION = 1
STATUSES = ("ok", "moved", "dead", "blocked", "error", "unchecked")
# Statuses the app marks in the row; ``blocked`` is never counted as dead.
TROUBLE = ("dead", "moved", "blocked")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LinkRecord(Struct, frozen=True):
    """The last check of one URL, and what it told about the page."""

    url: str
    status: str
    checked: str
    code: int | None = None
    moved_to: str | None = None
    reason: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    abstract: str | None = None
    primary_class: str | None = None
    first_seen: str | None = None

    def link_fields(self) -> dict[str, Any]:
        """The ``link`` object of ``dlreader list`` / ``dump`` JSON."""
        return {
            "status": self.status,
            "code": self.code,
            "moved_to": self.moved_to,
            "checked": self.checked,
        }

    def is_older_than(self, days: float, now: datetime | None = None) -> bool:
        moment = parse_time(self.checked)
        if moment is None:
            return True
        return (now or datetime.now(UTC)) - moment >= timedelta(days=days)


UNCHECKED_LINK: dict[str, Any] = {
    "status": "unchecked", "code": None, "moved_to": None, "checked": None,
}


def _text(value: Any, *, limit: int = 2000) -> str | None:
    return one_line(value)[:limit] or None if isinstance(value, str) else None


def _record_from_json(url: str, raw: Any) -> LinkRecord | None:
    """One record from the file, or None when it is not one (such entries are skipped)."""
    if not isinstance(raw, dict) or raw.get("status") not in STATUSES:
        return None
    checked = raw.get("checked")
    if not isinstance(checked, str) or parse_time(checked) is None:
        return None
    code = raw.get("code")
    year = raw.get("year")
    authors = raw.get("authors")
    return LinkRecord(
        url=url,
        status=raw["status"],
        checked=checked,
        code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        moved_to=_text(raw.get("moved_to")),
        reason=_text(raw.get("reason")) or "",
        title=_text(raw.get("title"), limit=500),
        authors=tuple(one_line(a) for a in authors if isinstance(a, str))
        if isinstance(authors, list) else (),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        abstract=_text(raw.get("abstract"), limit=5000),
        primary_class=_text(raw.get("primary_class"), limit=50),
        first_seen=_text(raw.get("first_seen"), limit=40),
    )


_FIELDS = tuple(name for name in LinkRecord.__struct_fields__ if name != "url")


def _record_to_json(record: LinkRecord) -> dict[str, Any]:
    # Only what is known: the file stays readable and small. (Not ``asdict``: its deep
    # copy was a tenth of a 1,000-link check's CPU.)
    data = {name: getattr(record, name) for name in _FIELDS}
    data["authors"] = list(record.authors)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


class LinkBook(Struct):
    """Every known URL's record, keyed by the item's (normalised) URL."""

    path: Path
    records: dict[str, LinkRecord] = field(default_factory=dict)
    set_aside: Path | None = None  # where a damaged file was moved on load

    def get(self, url: str | None) -> LinkRecord | None:
        return self.records.get(url) if url else None

    def update(self, records: Iterable[LinkRecord]) -> None:
        for record in records:
            previous = self.records.get(record.url)
            first_seen = (previous.first_seen or previous.checked) if previous else None
            self.records[record.url] = replace(
                record, first_seen=record.first_seen or first_seen or record.checked
            )

    def save(self) -> None:
        """Write atomically, merged with what another process saved meanwhile.

        The app and ``dlreader check`` may both be checking: the newer check of a URL
        wins, so neither throws away the other's results.
        """
        try:
            on_disk = _read_records(self.path)
        except _Damaged:
            self.set_aside = _set_aside(self.path)
            on_disk = None
        merged = dict(on_disk or {})
        for url, record in self.records.items():
            other = merged.get(url)
            if other is None or (parse_time(other.checked) or _EPOCH) <= (
                parse_time(record.checked) or _EPOCH
            ):
                merged[url] = record
        self.records = merged
        payload = {
            "format": "dlreader-links",
            "version": FORMAT_VERSION,
            "links": {url: _record_to_json(merged[url]) for url in sorted(merged)},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        atomic_write(self.path, text.encode("utf-8"))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Damaged(Exception):
    pass


def _read_records(path: Path) -> dict[str, LinkRecord] | None:
    """The records in the file; None when there is no file. Raises _Damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Damaged(str(error)) from error
    if not isinstance(data, dict) or data.get("format") != "dlreader-links" or not isinstance(
        data.get("links"), dict
    ):
        raise _Damaged("not a dlreader links file")
    links: Mapping[str, Any] = data["links"]
    records = {}
    for url, entry in links.items():
        record = _record_from_json(url, entry) if isinstance(url, str) else None
        if record is not None:
            records[url] = record
    return records


def _set_aside(path: Path) -> Path:
    """Move a damaged file out of the way, keeping it for whoever wants to look at it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, aside)
    return aside


def links_path(data_dir: Path) -> Path:
    return data_dir / LINKS_FILE


def load_link_book(data_dir: Path) -> LinkBook:
    """The data dir's links file; a damaged one is moved aside and an empty book returned."""
    path = links_path(data_dir)
    try:
        records = _read_records(path)
    except _Damaged:
        return LinkBook(path, {}, set_aside=_set_aside(path))
    except OSError:
        return LinkBook(path, {})
    return LinkBook(path, records or {})


def archive_url(url: str, day: datetime) -> str:
    """The Wayback Machine's copy of ``url`` nearest to ``day``: built, never looked up."""
    return f"https://web.archive.org/web/{day.strftime('%Y%m%d')}/{url}"
