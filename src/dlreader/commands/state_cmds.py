"""Reading-state commands: mark, list, topics, stats, undo, redo, state restore/backups.

Text output is for people (aligned columns, bars); ``--format json`` is for programs and
its shapes are fixed. Status lines go to stderr as ``dlreader: ...``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size

from dlreader.catalog.model import Catalog, Item, Topic
from dlreader.commands import Context, say
from dlreader.errors import CatalogError, UsageError
from dlreader.filters import ItemFilter
from dlreader.fsutil import TooBig, describe_read_error, describe_size, read_user_text
from dlreader.linkhealth.display import link_fields, shown_title
from dlreader.linkhealth.records import LinkBook
from dlreader.progress import count_done, percent, spark_line, text_bar
from dlreader.store.records import PRIORITIES, STATUSES, ItemState, ItemUpdate, Step
from dlreader.tags import clean_tag, clean_title
from dlreader.textsafe import json_text, one_line, plural, store_text_problem, unix_newlines

TITLE_WIDTH = 60
BAR_WIDTH = 30


# -- shared helpers ------------------------------------------------------------------------



def _emit_json(context: Context, value: Any) -> None:
    print(json_text(value), file=context.stdout)


def _fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis or padded to exactly ``width`` cells."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _topic_label(catalog: Catalog, topic: Topic) -> str:
    return " > ".join(t.title or "(before the first heading)" for t in catalog.path(topic.id))


def find_one_topic(catalog: Catalog, ref: str) -> Topic:
    """The one topic ``ref`` names (id or title); ``UsageError`` listing candidates otherwise."""
    found = catalog.find_topics(ref)
    if len(found) == 1:
        return found[0]
    if found:
        candidates = "; ".join(f"{t.id} ({_topic_label(catalog, t)})" for t in found)
        raise UsageError(f"{len(found)} topics are titled {ref!r}: {candidates}; give the id")
    titles = [t.title for t in catalog.topics if t.title]
    close = difflib.get_close_matches(ref, titles, n=5, cutoff=0.5)
    lowered = ref.casefold()
    close += [t for t in titles if lowered in t.casefold() and t not in close][: 5 - len(close)]
    hint = f"; did you mean: {', '.join(repr(t) for t in close)}" if close else ""
    raise UsageError(f"no topic titled {ref!r}{hint} (`dlreader topics` lists them)")


def _state_or_default(item: Item, state: ItemState | None) -> ItemState:
    return state if state is not None else ItemState(item.id, item.url, item.title)


def _orphans(catalog: Catalog, states: dict[str, ItemState]) -> list[ItemState]:
    """State whose item left the list, oldest change first."""
    found = [state for item_id, state in states.items() if item_id not in catalog.items]
    return sorted(found, key=lambda state: (state.updated, state.item_id))


# -- mark ----------------------------------------------------------------------------------


# A note is prose: past this it is a mistake (or /dev/zero), not a note.
NOTE_LIMIT = 1 << 20


def _read_note(args: argparse.Namespace) -> str | None:
    if args.note is not None:
        return str(args.note)
    if args.note_file is None:
        return None
    where = "stdin" if args.note_file == "-" else args.note_file
    try:
        text = read_user_text(args.note_file, limit=NOTE_LIMIT)
    except TooBig:
        raise UsageError(
            f"{where}: a note is at most {describe_size(NOTE_LIMIT)}; nothing was changed"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{where}: {describe_read_error(error)}") from None
    # An editor's final newline is not part of the note.
    return unix_newlines(text).rstrip("\n")


def _items_to_mark(args: argparse.Namespace, catalog: Catalog) -> list[Item]:
    if args.topic is not None and not args.all:
        raise UsageError("--topic marks a whole topic: add --all to confirm")
    if args.all and args.topic is None:
        raise UsageError("--all needs --topic TITLE (the topic to mark)")
    if not args.items and args.topic is None:
        raise UsageError("give the items to mark (URLs or ids), or --topic TITLE --all")
    chosen: dict[str, Item] = {}
    unknown = []
    for ref in args.items:
        item = catalog.find_item(ref)
        if item is None:
            unknown.append(ref)
        else:
            chosen.setdefault(item.id, item)
    if unknown:
        raise UsageError(
            f"not in {catalog.source}: {', '.join(unknown)} (give a URL from the list or an "
            "item id; `dlreader list` shows them); nothing was changed"
        )
    if args.topic is not None:
        topic = find_one_topic(catalog, args.topic)
        for item_id in catalog.item_ids_under(topic.id, recursive=True):
            chosen.setdefault(item_id, catalog.item(item_id))
        if not chosen:
            raise UsageError(f"topic {_topic_label(catalog, topic)!r} has no items")
    return list(chosen.values())


def _what(update: ItemUpdate) -> str:
    parts = []
    if update.status is not None:
        parts.append(f"status {update.status}")
    if update.priority is not None:
        parts.append(f"priority {update.priority}")
    if update.note is not None:
        parts.append("note cleared" if update.note == "" else "note set")
    if update.add_tags:
        parts.append("tagged " + ", ".join(update.add_tags))
    if update.remove_tags:
        parts.append("untagged " + ", ".join(update.remove_tags))
    if update.own_title is not None:
        parts.append("title reset" if update.own_title == "" else "retitled")
    return ", ".join(parts)


def _checked_note(args: argparse.Namespace) -> str | None:
    """The note to set, refused (never silently changed) unless it is fit for the store."""
    note = _read_note(args)
    if note is None:
        return None
    note = unix_newlines(note)  # the store's line endings
    problem = store_text_problem(note)
    if problem is not None:
        where = "--note" if args.note is not None else f"the note in {args.note_file}"
        raise UsageError(f"{where} {problem}; nothing was changed")
    return note


def _choices(args: argparse.Namespace) -> ItemUpdate:
    """What `mark` was asked to set, checked (an ItemUpdate without an item)."""
    note = _checked_note(args)
    add = tuple(dict.fromkeys(clean_tag(tag) for tag in args.tag))
    remove = tuple(dict.fromkeys(clean_tag(tag) for tag in args.untag))
    both = set(add) & set(remove)
    if both:
        raise UsageError(f"--tag and --untag both name {', '.join(sorted(both))}")
    title = None if args.title is None else clean_title(args.title)
    return ItemUpdate("", None, "", args.status, args.priority, note, add, remove, title)


def mark(args: argparse.Namespace, context: Context) -> int:
    chosen = _choices(args)
    what = _what(chosen)
    if not what:
        raise UsageError("nothing to set: give --status, --priority, --note, --note-file, "
                         "--tag, --untag or --title")
    catalog = context.load_catalog()
    items = _items_to_mark(args, catalog)
    if chosen.own_title and len(items) > 1:
        raise UsageError("--title names one item: give one item")
    updates = [
        dataclasses.replace(chosen, item_id=item.id, url=item.url, title=item.title)
        for item in items
    ]
    if args.topic is not None:
        label = f"{what} on topic {args.topic}"
    elif len(items) == 1:
        label = f"{what} on {one_line(items[0].title)}"
    else:
        label = f"{what} on {len(items)} items"
    with context.open_store() as store:
        step = store.apply(updates, label=label, list_key=context.list_key)
        # After the change: a busy or damaged store fails the mark first, and a new list's
        # first record already counts the marked items as seen.
        context.remember_list(store, catalog)
        backup_error = store.backup_error
    if step is None:
        say(context, f"nothing changed: {plural(len(items), 'item')} already had {what}")
    else:
        unchanged = len(items) - len(step.after)
        tail = f" ({unchanged} already had it)" if unchanged else ""
        say(context, f"{what}: {plural(len(step.after), 'item')}{tail} (`dlreader undo` reverts)")
    if backup_error:
        say(context, f"warning: the hourly backup failed: {backup_error}")
    return 0


# -- list ----------------------------------------------------------------------------------


def _row(
    catalog: Catalog | None, item: Item | None, state: ItemState, book: LinkBook
) -> dict[str, Any]:
    topics = [] if item is None or catalog is None else [
        catalog.topic(topic_id).title for topic_id in item.topics
    ]
    url = item.url if item is not None else state.url
    record = book.get(url)
    list_title = item.title if item is not None else state.title
    return {
        "id": state.item_id,
        "url": url,
        "title": state.shown_title(list_title),  # the user's own title wins
        "list_title": list_title,
        "topics": topics,
        "status": state.status,
        "priority": state.priority,
        "note": state.note,
        "tags": list(state.tags),
        "updated": state.updated or None,
        **link_fields(record),
        # For the text table: the title to show, and whether it was fetched.
        # The user's own title wins over the list's and a fetched one.
        "_shown": ((state.own_title, False) if state.own_title
                   else shown_title(item, record) if item is not None else (state.title, False)),
    }


def list_filter(args: argparse.Namespace) -> ItemFilter:
    """`dlreader list`'s options as the app's filter model (dlreader.filters)."""
    tags = frozenset(clean_tag(tag) for tag in args.tag or ())
    return ItemFilter(statuses=frozenset(args.status or ()),
                      min_priority=args.priority or "none", noted=args.noted, tags=tags)


def _title_cell(row: dict[str, Any]) -> str:
    """The list's title, or a fetched page title marked with ``~`` (it is not the list's)."""
    title, fetched = row["_shown"]
    return f"~{one_line(title)}" if fetched else one_line(title)


def _print_rows(context: Context, rows: Sequence[dict[str, Any]]) -> None:
    out = context.stdout
    width = max([5, *(min(TITLE_WIDTH, cell_len(_title_cell(r))) for r in rows)])
    print(f"{'STATUS':<8} {'PRIORITY':<8} {'NOTE':<4} {'ID':<14} {_fit('TITLE', width)} URL",
          file=out)
    for row in rows:
        note = "yes" if row["note"].strip() else ""
        print(
            f"{row['status']:<8} {row['priority']:<8} {note:<4} {one_line(row['id']):<14} "
            f"{_fit(_title_cell(row), width)} {one_line(row['url'] or '')}".rstrip(),
            file=out,
        )


def list_items(args: argparse.Namespace, context: Context) -> int:
    if args.orphans and args.topic is not None:
        raise UsageError("--orphans and --topic do not go together: orphans have no topic")
    if args.orphans and args.new:
        raise UsageError("--orphans and --new do not go together: orphans are not in the list")
    chosen = list_filter(args)
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    book = context.link_book()
    rows: list[dict[str, Any]] = []
    if args.orphans:
        rows = [
            _row(catalog, None, s, book) for s in _orphans(catalog, states) if chosen.matches(s)
        ]
    else:
        if args.topic is not None:
            item_ids: Iterable[str] = catalog.item_ids_under(
                find_one_topic(catalog, args.topic).id, recursive=True
            )
        else:
            item_ids = catalog.items
        if args.new:
            new = set(context.new_item_ids(catalog))
            item_ids = [item_id for item_id in item_ids if item_id in new]
        for item_id in item_ids:
            item = catalog.items[item_id]
            state = _state_or_default(item, states.get(item_id))
            if chosen.matches(state):
                rows.append(_row(catalog, item, state, book))
    if args.format == "json":
        _emit_json(context, [{k: v for k, v in row.items() if k != "_shown"} for row in rows])
        return 0
    if not rows:
        say(context, "no orphaned state" if args.orphans else "no items match")
        return 0
    _print_rows(context, rows)
    return 0


# -- topics --------------------------------------------------------------------------------


def _topic_tree(catalog: Catalog, states: dict[str, ItemState], topic: Topic) -> dict[str, Any]:
    item_ids = catalog.item_ids_under(topic.id, recursive=True)
    read = sum(1 for i in item_ids if (s := states.get(i)) is not None and s.status == "read")
    return {
        "id": topic.id,
        "title": topic.title,
        "level": topic.level,
        "read": read,
        "done": count_done(item_ids, states),  # read or skipped: what the bars show
        "total": len(item_ids),
        "children": [_topic_tree(catalog, states, child) for child in catalog.children(topic.id)],
    }


def topics(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    tree = [_topic_tree(catalog, states, root) for root in catalog.roots()]
    tree = [node for node in tree if node["total"] or node["children"] or node["level"] > 0]
    if args.format == "json":
        _emit_json(context, tree)
        return 0
    lines: list[tuple[str, int, int]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        title = node["title"] or "(before the first heading)"
        lines.append(("  " * depth + one_line(title), node["done"], node["total"]))
        for child in node["children"]:
            walk(child, depth + 1)

    for node in tree:
        walk(node, 0)
    width = min(70, max([5, *(cell_len(label) for label, _, _ in lines)]))
    digits = len(str(max([1, *(total for _, _, total in lines)])))
    print(f"{_fit('TOPIC', width)}  {'DONE':>{digits * 2 + 1}}", file=context.stdout)
    for label, done, total in lines:
        print(
            f"{_fit(label, width)}  {done:>{digits}}/{total:<{digits}}  "
            f"{text_bar(done, total, 10)}",
            file=context.stdout,
        )
    return 0


# -- stats ---------------------------------------------------------------------------------


def compute_stats(catalog: Catalog, states: dict[str, ItemState],
                  today: dt.date | None = None) -> dict[str, Any]:
    from dlreader import activity

    today = today or dt.datetime.now(dt.UTC).date()
    listed = [_state_or_default(item, states.get(i)) for i, item in catalog.items.items()]
    status = Counter(state.status for state in listed)
    priority = Counter(state.priority for state in listed)
    return {
        "items": len(listed),
        "topics": len(catalog.topics),
        "done": count_done(catalog.items, states),
        "status": {name: status.get(name, 0) for name in STATUSES},
        "priority": {name: priority.get(name, 0) for name in PRIORITIES},
        "noted": sum(1 for state in listed if state.has_note),
        "orphans": len(_orphans(catalog, states)),
        "weeks": [{"start": week.start.isoformat(), "done": week.done}
                  for week in activity.weekly_done(catalog, states, today)],
        "streak": activity.streak(catalog, states, today),
        "by_topic": [{"id": row.topic_id, "title": row.title, "done": row.done,
                      "total": row.total}
                     for row in activity.topic_progress(catalog, states)],
    }


def stats(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    figures = compute_stats(catalog, states)
    if args.format == "json":
        _emit_json(context, figures)
        return 0
    out = context.stdout
    total = figures["items"]
    print(f"{one_line(catalog.name)}: {plural(total, 'item')} under "
          f"{plural(figures['topics'], 'topic')}", file=out)
    digits = len(str(max(total, 1)))
    for heading in ("status", "priority"):
        print(f"\n{heading}", file=out)
        for name, count in figures[heading].items():
            share = 100 * count / total if total else 0.0
            bar = text_bar(count, total, BAR_WIDTH)
            print(f"  {name:<8} {count:>{digits}}  {bar} {share:5.1f}%", file=out)
    print(f"\n{'noted':<10} {figures['noted']:>{digits}}", file=out)
    print(f"{'orphans':<10} {figures['orphans']:>{digits}}"
          + ("  (`dlreader list --orphans`)" if figures["orphans"] else ""), file=out)
    done = figures["done"]
    print(f"\ndone {done}/{total} ({percent(done, total)}%, read or skipped)", file=out)
    rows = figures["by_topic"]
    if rows:
        width = min(50, max(cell_len(one_line(row["title"])) for row in rows))
        tdigits = len(str(max(row["total"] for row in rows) or 1))
        for row in rows:
            print(f"  {_fit(one_line(row['title']), width)}  {row['done']:>{tdigits}}/"
                  f"{row['total']:<{tdigits}}  {text_bar(row['done'], row['total'], 10)}",
                  file=out)
    weeks = figures["weeks"]
    print(f"\ndone per week (last {len(weeks)}, oldest first): "
          f"{' '.join(str(week['done']) for week in weeks)}", file=out)
    print(f"  {spark_line([week['done'] for week in weeks])}", file=out)
    days = figures["streak"]
    print(f"streak: {plural(days, 'day')} in a row", file=out)
    return 0


# -- undo / redo ---------------------------------------------------------------------------


def _describe(step: Step) -> str:
    label = one_line(step.label) or "a change"
    return f"{label!r} of {step.time} ({plural(len(step.after), 'item')})"


def _journal_step(context: Context, verb: str) -> int:
    # Per list: the last change made in this list (--source), never one made in another.
    # The list itself is only needed to add it to the library: undo works without it.
    try:
        catalog: Catalog | None = context.load_catalog()
    except CatalogError:
        catalog = None
    with context.open_store() as store:
        if catalog is not None:
            context.remember_list(store, catalog)
        key = context.list_key
        step = store.undo(key) if verb == "undo" else store.redo(key)
    done = "undid" if verb == "undo" else "redid"
    if step is None:
        where = f" in {one_line(catalog.name)}" if catalog is not None else ""
        say(context, f"nothing to {verb}{where}")
    else:
        say(context, f"{done} {_describe(step)}")
    return 0


def undo(args: argparse.Namespace, context: Context) -> int:
    return _journal_step(context, "undo")


def redo(args: argparse.Namespace, context: Context) -> int:
    return _journal_step(context, "redo")


# -- state restore / backups ---------------------------------------------------------------


def restore(args: argparse.Namespace, context: Context) -> int:
    from dlreader.store.restore import restore_store

    outcome = restore_store(context.store_path, args.backup)
    say(context, f"restored {context.store_path} from {outcome.backup}")
    if outcome.kept_damaged is not None:
        say(context, f"the damaged file was kept as {outcome.kept_damaged}")
    if outcome.saved_current is not None:
        say(context, f"the state it replaced was backed up to {outcome.saved_current}")
    return 0


def backups(args: argparse.Namespace, context: Context) -> int:
    from dlreader.store import backups as backup_files
    from dlreader.store.schema import check_store
    from dlreader.store.storage import parse_store_bytes

    found = backup_files.list_backups(context.store_path)
    if not found:
        where = backup_files.backups_dir(context.store_path)
        say(context, f"no backups of {context.user} in {where}")
        return 0
    for path in found:
        when = backup_files.backup_time(path)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "?"
        try:
            data = parse_store_bytes(path.read_bytes())
            check_store(data)
            what = plural(len(data.get("items", {})), "record")
        except Exception as error:  # a bad backup is listed, and said to be bad
            what = f"NOT USABLE ({getattr(error, 'reason', error)})"
        print(f"{stamp}  {what:<14}  {path}", file=context.stdout)
    return 0
