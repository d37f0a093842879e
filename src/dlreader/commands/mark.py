"""``dlreader mark``: set status, priority, note, tags or the user's own title on items."""

from __future__ import annotations

import argparse

from msgspec.structs import replace

from dlreader.catalog.model import Catalog, Item, Topic
from dlreader.commands import Context, say
from dlreader.commands.common import (
    find_one_topic,
    topic_label,
)
from dlreader.errors import UsageError
from dlreader.fsutil import TooBig, describe_read_error, describe_size, read_user_text
from dlreader.progress import count_statuses, topic_mark_report
from dlreader.store.records import ItemUpdate
from dlreader.store.store import Store
from dlreader.tags import clean_tag, clean_title
from dlreader.textsafe import one_line, plural, store_text_problem, unix_newlines

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


def _items_to_mark(args: argparse.Namespace, catalog: Catalog) -> tuple[list[Item], Topic | None]:
    if args.topic is not None and not args.all:
        raise UsageError("--topic marks a whole topic: add --all to confirm")
    if args.all and args.topic is None:
        raise UsageError("--all needs --topic TITLE (the topic to mark)")
    if not args.items and args.topic is None:
        raise UsageError("give the items to mark (URLs or ids), or --topic TITLE --all")
    if args.include_skipped and args.topic is None:
        raise UsageError("--include-skipped goes with --topic TITLE --all (named items are "
                         "marked whatever their status)")
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
    topic = None
    if args.topic is not None:
        topic = find_one_topic(catalog, args.topic)
        for item_id in catalog.item_ids_under(topic.id, recursive=True):
            chosen.setdefault(item_id, catalog.item(item_id))
        if not chosen:
            raise UsageError(f"topic {topic_label(catalog, topic)!r} has no items")
    return list(chosen.values()), topic


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


def _status(store: Store, item_id: str) -> str:
    state = store.get(item_id)
    return state.status if state is not None else "unread"


def _only_from_topic(args: argparse.Namespace, catalog: Catalog, items: list[Item],
                     before: dict[str, str]) -> set[str]:
    """The topic's skipped items that were not named on the command line (naming one is
    asking for it)."""
    named = {item.id for ref in args.items if (item := catalog.find_item(ref)) is not None}
    return {item.id for item in items if before[item.id] == "skipped" and item.id not in named}


def _update_for(chosen: ItemUpdate, item: Item, *, keep_status: bool) -> ItemUpdate:
    """``chosen`` for this item; ``keep_status``: everything but the status."""
    return replace(chosen, item_id=item.id, url=item.url, title=item.title,
                               status=None if keep_status else chosen.status)


def mark(args: argparse.Namespace, context: Context) -> int:
    chosen = _choices(args)
    what = _what(chosen)
    if not what:
        raise UsageError("nothing to set: give --status, --priority, --note, --note-file, "
                         "--tag, --untag or --title")
    catalog = context.load_catalog()
    items, topic = _items_to_mark(args, catalog)
    if chosen.own_title and len(items) > 1:
        raise UsageError("--title names one item: give one item")
    if args.topic is not None:
        label = f"{what} on topic {args.topic}"
    elif len(items) == 1:
        label = f"{what} on {one_line(items[0].title)}"
    else:
        label = f"{what} on {len(items)} items"
    with context.open_store() as store:
        before = {item.id: _status(store, item.id) for item in items}
        # A topic's skipped items keep their status unless asked: the user decided on them
        # (issue #12 item 5; the app's Space on a topic does the same).
        kept = set() if topic is None or chosen.status in (None, "skipped") or \
            args.include_skipped else _only_from_topic(args, catalog, items, before)
        updates = [_update_for(chosen, item, keep_status=item.id in kept) for item in items]
        updates = [update for update in updates if _what(update)]
        step = store.apply(updates, label=label, list_key=context.list_key)
        # After the change: a busy or damaged store fails the mark first, and a new list's
        # first record already counts the marked items as seen.
        context.remember_list(store, catalog)
        backup_error = store.backup_error
    if not updates:
        say(context, "nothing changed")
    elif step is None:
        say(context, f"nothing changed: {plural(len(updates), 'item')} already had {what}")
    else:
        unchanged = len(updates) - len(step.after)
        tail = f" ({unchanged} already had it)" if unchanged else ""
        say(context, f"{what}: {plural(len(step.after), 'item')}{tail} (`dlreader undo` reverts)")
    if topic is not None and chosen.status is not None:
        under = catalog.item_ids_under(topic.id, recursive=True)
        marked_from = count_statuses(before[i] for i in under if i not in kept)
        say(context, topic_mark_report(marked_from, chosen.status, one_line(topic.title),
                                       kept_skipped=len(kept)))
    if backup_error:
        say(context, f"warning: the hourly backup failed: {backup_error}")
    return 0
