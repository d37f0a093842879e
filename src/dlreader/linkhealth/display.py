"""How link facts show on an item: its title, the JSON fields, the archived copy.

One place for the rule every view follows: the list's own title always wins; only an
item titled by its bare URL shows the fetched page title, marked as fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dlreader.catalog.model import Item
from dlreader.catalog.urls import title_from_url
from dlreader.linkhealth.records import UNCHECKED_LINK, LinkRecord, archive_url, parse_time


def title_is_url(item: Item) -> bool:
    """True when the list gave no title: the item is named by its own URL."""
    if not item.url:
        return False
    title = item.title.strip()
    return title in (item.url, title_from_url(item.url)) or title_from_url(title) == title_from_url(
        item.url
    )


def shown_title(item: Item, record: LinkRecord | None) -> tuple[str, bool]:
    """(the title to show, whether it is a fetched one)."""
    if record is not None and record.title and title_is_url(item):
        return record.title, True
    return item.title, False


def link_fields(record: LinkRecord | None) -> dict[str, Any]:
    """The per-item fields of ``dlreader list`` and ``dump`` JSON."""
    fields: dict[str, Any] = {
        "link": record.link_fields() if record else dict(UNCHECKED_LINK),
        "page_title": record.title if record else None,
    }
    if record is not None and record.authors:
        fields["authors"] = list(record.authors)
    if record is not None and record.year is not None:
        fields["year"] = record.year
    return fields


def _list_date(list_path: Path | None) -> datetime | None:
    if list_path is None:
        return None
    try:
        return datetime.fromtimestamp(list_path.stat().st_mtime, UTC)
    except OSError:
        return None


def archive_day(record: LinkRecord | None, list_path: Path | None) -> datetime:
    """The day to ask the archive for: the earlier of when dlreader first saw the link
    and the list's date (the archive serves the copy nearest to it)."""
    seen = parse_time(record.first_seen or record.checked) if record is not None else None
    days = [day for day in (seen, _list_date(list_path)) if day is not None]
    return min(days, default=datetime.now(UTC))


def archived_copy(item: Item, record: LinkRecord | None, list_path: Path | None) -> str | None:
    """The Wayback Machine URL for a dead link (built here, the archive is never asked)."""
    if not item.url or record is None or record.status != "dead":
        return None
    return archive_url(item.url, archive_day(record, list_path))
