"""A remote list's kept copy: download it the first time, refresh it, update it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from dlreader.errors import StoreWriteError, describe
from dlreader.sources.download import DownloadError, Unreachable, download_first
from dlreader.sources.kept import KeptFacts, age_seconds, copy_path, read_facts, write_copy
from dlreader.sources.spec import RemoteSpec

# A copy older than this is refreshed (in the background in the app).
STALE_SECONDS = 24 * 3600
_HTML_STARTS = (b"<!doctype html", b"<html")


class Updated(Struct, frozen=True):
    """What asking the server gave: a new copy, the same one (304 or same bytes)."""

    changed: bool
    facts: KeptFacts


def kept_facts(spec: RemoteSpec, data_dir: Path) -> KeptFacts | None:
    return read_facts(copy_path(data_dir, spec.key))


def is_stale(facts: KeptFacts) -> bool:
    return age_seconds(facts) > STALE_SECONDS


def when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_markdown(url: str, body: bytes) -> None:
    """DownloadError unless ``body`` is UTF-8 text that is not an HTML page."""
    if b"\x00" in body:
        raise DownloadError(f"{url}: is a binary file, not a markdown list")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DownloadError(
            f"{url}: is not UTF-8 text (bad byte at offset {error.start}), not a markdown list"
        ) from None
    if body.lstrip()[:20].lower().startswith(_HTML_STARTS):
        raise DownloadError(f"{url}: is an HTML page, not a markdown list")


def update(spec: RemoteSpec, data_dir: Path, *, timeout: float | None = None) -> Updated:
    """Ask the server for a newer version (conditionally) and keep it.

    Raises ``DownloadError`` (``Unreachable`` when offline); the kept copy is untouched then.
    """
    copy = copy_path(data_dir, spec.key)
    facts = read_facts(copy)
    # A known README name first: no 404s to walk through on every update.
    urls = spec.urls if not (facts and facts.url) else (
        facts.url, *(u for u in spec.urls if u != facts.url))
    answer = download_first(
        urls,
        etag=facts.etag if facts else None,
        last_modified=facts.last_modified if facts else None,
        timeout=timeout,
    )
    now = time.time()
    if answer.body is None and facts is not None:  # 304 Not Modified
        new_facts = replace(facts, checked=now)
        _keep(copy, None, new_facts)
        return Updated(False, new_facts)
    body = answer.body or b""
    check_markdown(answer.url, body)
    changed = facts is None or _read(copy) != body
    new_facts = KeptFacts(
        key=spec.key, url=answer.url, etag=answer.etag, last_modified=answer.last_modified,
        fetched=now if changed or facts is None else facts.fetched, checked=now,
    )
    _keep(copy, body if changed else None, new_facts)
    return Updated(changed, new_facts)


def ensure_copy(
    spec: RemoteSpec, data_dir: Path, *, refresh_stale: bool
) -> tuple[Path, str | None]:
    """The kept copy's path, downloaded first if there is none; and a notice, if any.

    With ``refresh_stale`` a copy older than a day is refreshed first; offline, the kept
    copy is used and the notice says so. With no kept copy, offline is an error.
    """
    copy = copy_path(data_dir, spec.key)
    facts = read_facts(copy)
    if facts is None:
        try:
            update(spec, data_dir)
        except Unreachable as error:
            raise Unreachable(f"{spec.key}: {error.message}; no copy of it is kept yet") from None
        return copy, None
    if refresh_stale and is_stale(facts):
        try:
            outcome = update(spec, data_dir)
        except Unreachable as error:
            kept_on = when(facts.fetched)
            return copy, f"offline: using the copy of {spec.key} kept on {kept_on} " \
                f"({error.message})"
        if outcome.changed:
            return copy, f"{spec.key}: downloaded a newer version"
    return copy, None


def _read(copy: Path) -> bytes | None:
    try:
        return copy.read_bytes()
    except OSError:
        return None


def _keep(copy: Path, body: bytes | None, facts: KeptFacts) -> None:
    try:
        write_copy(copy, body, facts)
    except OSError as error:
        raise StoreWriteError(
            f"could not keep the downloaded list in {copy}: {describe(error)}"
        ) from error
