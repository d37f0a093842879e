"""Notes out of dlreader, as markdown: one code path for ``dlreader export`` and the app's ``e``.

The export is a markdown document meant to be read and to be parsed back:

- ``# Notes from <list name>``, then one line with the user, the date and the counts;
- the list's topics, in list order, as headings whose depth follows the topic tree (roots are
  ``##``; capped at ``######``). Only topics holding exported items are written, plus their
  ancestors so the tree still shows;
- under a topic, each of its items as ``- [Title](url)`` (``- Title`` without a URL), a
  metadata line (status, priority, dates, "also in: ...") and the note, indented by two
  spaces so that it stays inside the list item and is parsed exactly as the user wrote it;
- last, "No longer in the list": state whose item the list no longer has, with its saved
  title and URL, so that editing the list never drops a note.

The output depends only on its inputs (``date`` is passed in), so the same state and list
give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from msgspec import Struct

from dlreader import locations
from dlreader.catalog.model import Catalog, Item, Topic
from dlreader.errors import DlreaderError, UsageError, describe
from dlreader.fsutil import write_user_file
from dlreader.linkhealth.display import archived_copy, shown_title
from dlreader.linkhealth.records import TROUBLE, LinkRecord
from dlreader.store.records import ItemState
from dlreader.textsafe import clean_store_text, plural

ORPHANS_HEADING = "No longer in the list"
MAX_HEADING_LEVEL = 6
NOTE_INDENT = "  "  # the content column of a "- " list item

# Whitespace runs (newlines included) in a one-line field fold to one space; control
# characters would only corrupt the file's text.
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that would otherwise start a link, an autolink or HTML, a code span or
# emphasis inside a title: escaped so the title reads as the text it is.
_INLINE_SPECIAL = re.compile(r"([\\\[\]<>`*_])")
# A line starting with one of these could open a block (heading, quote, list, rule, table,
# fence) where we want plain text; the first character is escaped.
_BLOCK_START = re.compile(r"^(?:[#>+\-=|~:]|\d{1,9}[.)](?:\s|$))")
# "&amp;" in a title is those five characters, not an entity.
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TRAILING_HASHES = re.compile(r"(#+)$")
# Link destinations that would need <...> or break the link: spaces, unbalanced
# parentheses, angle brackets.
_UNSAFE_URL = re.compile(r"[\s<>()\\]")


class ExportWriteError(DlreaderError):
    """The export file cannot be written; whatever was at the path is left as it was."""


class NotesExport(Struct, frozen=True):
    """An export's text and what went into it (the CLI and the app report the counts)."""

    text: str
    items: int
    notes: int
    orphans: int


# -- text helpers -------------------------------------------------------------------------


def _one_line(text: str) -> str:
    # Fold first: some line breaks (NEL, FS..US) are also control characters.
    return _WHITESPACE.sub(" ", _CONTROL.sub("", _WHITESPACE.sub(" ", text))).strip()


def _escape_inline(text: str) -> str:
    escaped = _INLINE_SPECIAL.sub(r"\\\1", _one_line(text))
    return _ENTITY.sub(r"\\&", escaped)


def _escape_line_start(text: str) -> str:
    """Inline-escaped text that also cannot open a block when it starts a line."""
    escaped = _escape_inline(text)
    if not _BLOCK_START.match(escaped):
        return escaped
    digits = len(escaped) - len(escaped.lstrip("0123456789"))
    # "1. foo" -> "1\. foo" (not an ordered list); "# foo" -> "\# foo" (not a heading).
    return escaped[:digits] + "\\" + escaped[digits:]


def _heading_text(title: str) -> str:
    # A trailing run of '#' would be read as the heading's closing sequence.
    return _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), _escape_inline(title))


def _link_destination(url: str) -> str:
    url = _one_line(url)
    if _UNSAFE_URL.search(url):
        if re.search(r"[<>\\]", url):
            # Percent-encode what cannot stand in a destination at all; it opens the same.
            for char, code in (("\\", "%5C"), (" ", "%20"), ("<", "%3C"), (">", "%3E"),
                               ("(", "%28"), (")", "%29")):
                url = url.replace(char, code)
        else:
            url = f"<{url}>"  # spaces and unbalanced parentheses are fine between <...>
    # Entities are decoded in destinations too: "&copy;" in a query must stay five chars.
    return _ENTITY.sub(r"\\&", url)


def _item_line(title: str, url: str | None, fallback: str) -> str:
    title = _one_line(title) or (url or fallback)
    if url:
        return f"- [{_escape_inline(title)}]({_link_destination(url)})"
    return f"- {_escape_line_start(title)}"


def _indent_note(note: str) -> list[str]:
    """The note's lines, each indented into the list item; empty lines stay empty.

    Line breaks are normalised to "\\n" (markdown reads "\\r" as a break too). Empty lines
    before and after the note are dropped: they cannot be told apart from the blank lines
    around it, and mean nothing in markdown. A tab that indents a line is kept, but it now
    sits after two spaces, so it no longer reaches a 4-column tab stop on its own.
    """
    # clean_store_text: a note from an old store may hold control characters, and the
    # file will be shown on a terminal one day.
    text = clean_store_text(note).strip("\n")
    return [NOTE_INDENT + line if line else "" for line in text.split("\n")]


def _day(timestamp: str | None) -> str:
    return (timestamp or "")[:10]


def _link_notes(item: Item, record: LinkRecord | None, fetched: bool,
                list_path: Path) -> list[str]:
    """What the link check adds to an item's metadata line."""
    notes = ["title fetched from the page"] if fetched else []
    if record is not None and record.status in TROUBLE:
        code = f" ({record.code})" if record.code is not None else ""
        notes.append(f"link {record.status}{code} on {_day(record.checked)}")
    if record is not None and record.moved_to:
        notes.append(f"moved to <{_link_destination(record.moved_to).strip('<>')}>")
    archive = archived_copy(item, record, list_path)
    if archive:
        notes.append(f"archived copy: <{archive}>")
    return notes


def _metadata_line(state: ItemState, also_in: list[str], link_notes: Sequence[str] = ()) -> str:
    parts = [f"status: {state.status}"]
    if state.priority != "none":
        parts.append(f"priority: {state.priority}")
    if state.created:
        parts.append(f"added {_day(state.created)}")
    if state.updated:
        parts.append(f"updated {_day(state.updated)}")
    if state.read_at:
        parts.append(f"read {_day(state.read_at)}")
    if state.tags:
        parts.append("tags: " + ", ".join(_escape_inline(_one_line(tag)) for tag in state.tags))
    if also_in:
        parts.append("also in: " + "; ".join(_escape_inline(title) for title in also_in))
    parts.extend(link_notes)
    # Starts with "status:", so it continues the item's paragraph and opens no block.
    return NOTE_INDENT + " · ".join(parts)


# -- selection ----------------------------------------------------------------------------


def _selected(
    state: ItemState,
    *,
    statuses: frozenset[str] | None,
    priorities: frozenset[str] | None,
    include_all: bool,
) -> bool:
    if not include_all and not state.has_note:
        return False
    if statuses is not None and state.status not in statuses:
        return False
    return priorities is None or state.priority in priorities


def topic_scope(catalog: Catalog, topic: str | None) -> set[str] | None:
    """Ids of the topics (with their subtopics) ``topic`` names, or None for all of them."""
    if topic is None:
        return None
    matches = catalog.find_topics(topic)
    if not matches:
        raise UsageError(f"no topic {topic!r} in {catalog.source}")
    return {sub.id for match in matches for sub in catalog.subtree(match.id)}


def choose_states(
    catalog: Catalog,
    states: Mapping[str, ItemState],
    *,
    statuses: Iterable[str] | None,
    priorities: Iterable[str] | None,
    include_all: bool,
    scope: set[str] | None,
) -> tuple[dict[str, ItemState], list[ItemState]]:
    """The exported states: (the list's items', by id; the orphans). Shared with BibTeX."""
    wanted_statuses = frozenset(statuses) if statuses else None
    wanted_priorities = frozenset(priorities) if priorities else None
    chosen: dict[str, ItemState] = {}
    orphans: list[ItemState] = []
    for item_id, state in states.items():
        if not _selected(
            state, statuses=wanted_statuses, priorities=wanted_priorities,
            include_all=include_all,
        ):
            continue
        if item_id in catalog.items:
            if scope is None or scope.intersection(catalog.items[item_id].topics):
                chosen[item_id] = state
        elif scope is None:  # a topic filter cannot reach state whose item has no topic
            orphans.append(state)
    return chosen, orphans


def _tree_depth(catalog: Catalog, topic: Topic) -> int:
    return len(catalog.path(topic.id))


# -- the export ---------------------------------------------------------------------------


def build_export(
    catalog: Catalog,
    states: Mapping[str, ItemState],
    *,
    user: str,
    date: _dt.date | str,
    statuses: Iterable[str] | None = None,
    priorities: Iterable[str] | None = None,
    topic: str | None = None,
    include_all: bool = False,
    links: Mapping[str, LinkRecord] | None = None,
) -> NotesExport:
    """The export and its counts; see the module docstring for the format.

    ``links`` (by URL, from links.json) names a fetched page title for an item the list
    titles by its URL, a dead, moved or blocked link, and a dead link's archived copy.
    """
    scope = topic_scope(catalog, topic)
    chosen, orphans = choose_states(
        catalog, states, statuses=statuses, priorities=priorities, include_all=include_all,
        scope=scope,
    )

    # Each chosen item goes under its first topic inside the scope.
    home: dict[str, str] = {}
    unplaced: list[Item] = []
    for item_id in list(chosen):
        item = catalog.items[item_id]
        first = next((t for t in item.topics if scope is None or t in scope), None)
        if first is not None:
            home[item_id] = first
        elif scope is None:
            unplaced.append(item)
        else:
            del chosen[item_id]
    unplaced.sort(key=lambda item: (item.line, item.id))

    # A topic shows its items in the order it lists them, and shows when it or a subtopic
    # holds one.
    placed: dict[str, list[Item]] = {}
    for current in catalog.topics:
        here = [catalog.items[i] for i in dict.fromkeys(current.items) if home.get(i) == current.id]
        if here:
            placed[current.id] = here
    shown_topics: set[str] = set()
    for topic_id in placed:
        shown_topics.update(t.id for t in catalog.path(topic_id))

    lines: list[str] = []
    notes = sum(1 for state in chosen.values() if state.has_note)
    notes += sum(1 for state in orphans if state.has_note)
    day = date.isoformat() if isinstance(date, _dt.date) else str(date)
    counts = f"{plural(len(chosen) + len(orphans), 'item')}, {plural(notes, 'note')}"
    if orphans:
        counts += f" ({len(orphans)} no longer in the list)"
    lines.append(f"# Notes from {_heading_text(catalog.name) or 'a reading list'}")
    lines.append("")
    lines.append(f"Exported for {_escape_inline(user)} on {_escape_inline(day)}: {counts}.")

    def write_item(title: str, url: str | None, state: ItemState, also_in: list[str],
                   link_notes: Sequence[str] = (), description: str = "") -> None:
        lines.append("")
        line = _item_line(state.shown_title(title), url, state.item_id)
        if description.strip():
            line += f" - {_escape_inline(_one_line(description))}"
        lines.append(line)
        lines.append(_metadata_line(state, also_in, link_notes))
        if state.has_note:
            lines.append("")
            lines.extend(_indent_note(state.note))

    def write_catalog_item(item: Item, home: str | None) -> None:
        also_in = [catalog.topic(t).title for t in dict.fromkeys(item.topics) if t != home]
        record = links.get(item.url) if links and item.url else None
        title, fetched = shown_title(item, record)
        write_item(title, item.url, chosen[item.id], also_in,
                   _link_notes(item, record, fetched, Path(catalog.source)), item.description)

    for current in catalog.topics:
        if current.id not in shown_topics:
            continue
        level = min(_tree_depth(catalog, current) + 1, MAX_HEADING_LEVEL)
        title = _heading_text(current.title) or "(untitled)"
        lines.append("")
        lines.append(f"{'#' * level} {title}")
        for item in placed.get(current.id, ()):
            write_catalog_item(item, current.id)

    if unplaced:
        lines.append("")
        lines.append("## Not under a topic")
        for item in unplaced:
            write_catalog_item(item, None)

    if orphans:
        lines.append("")
        lines.append(f"## {ORPHANS_HEADING}")
        for state in sorted(orphans, key=lambda s: (_one_line(s.title).casefold(), s.item_id)):
            write_item(state.title, state.url, state, [])

    return NotesExport(
        text="\n".join(lines) + "\n",
        items=len(chosen) + len(orphans),
        notes=notes,
        orphans=len(orphans),
    )


# -- writing ------------------------------------------------------------------------------


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, mode 0600: it holds notes) to the file the user named.

    A regular file is replaced atomically (a reader sees the old file or the new one); a
    device or FIFO is written in place, never replaced (``fsutil.write_user_file``).
    Raises ``ExportWriteError`` (one line naming the file and the reason) on failure.
    """
    try:
        write_user_file(path, text.encode("utf-8"))
    except OSError as error:
        raise ExportWriteError(f"cannot write {path}: {describe(error)}") from error


def default_export_path(user: str) -> Path:
    """Where the app's ``e`` writes: ``dlreader-notes-<user>.md`` in a documents folder.

    The user's documents dir (platformdirs) when it exists, else ``<data dir>/exports/``
    (created here, best effort: a failure shows when writing). When ``DLREADER_DATA_DIR``
    is set, dlreader was pointed at a self-contained place (tests, portable setups), so
    exports stay inside it too.
    """
    name = f"dlreader-notes-{locations.check_user_name(user)}.md"
    if not os.environ.get("DLREADER_DATA_DIR"):
        from platformdirs import user_documents_dir

        documents = Path(user_documents_dir())
        if documents.is_dir():
            return documents / name
    exports = locations.data_dir() / "exports"
    with contextlib.suppress(OSError):
        exports.mkdir(parents=True, exist_ok=True)
    return exports / name
