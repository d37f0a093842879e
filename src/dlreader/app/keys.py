"""Every key of the reading screen, once: its id, default keys, group and description.

The screen's bindings, the command palette, the help screen, ``dlreader keys`` and the
README check are all made from ``KEYS``; a user's ``[keys]`` in config.toml rebinds an id
(Textual's keymap). To add a key: add a ``Key`` here and an ``action_<name>`` method on
``ReadingScreen`` (and a row in the README key table; a test checks it).

No Textual here at import time: ``dlreader keys`` (core CLI) reads this table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

from msgspec import Struct

if TYPE_CHECKING:
    from textual.binding import Binding

    from dlreader.config import UserConfig

Group = Literal["Moving", "Marking", "Finding", "Elsewhere"]
GROUPS: tuple[Group, ...] = ("Moving", "Marking", "Finding", "Elsewhere")


class Key(Struct, frozen=True):
    id: str  # the id users rebind in config.toml (and the binding's id)
    action: str  # the screen's action, with its arguments
    keys: str  # default keys, Textual's names, comma-separated
    group: Group
    description: str  # for the help screen, the palette and `dlreader keys`
    label: str  # short: the footer's
    command: str  # the command palette's entry
    footer: bool = False  # shown in the footer
    app_level: bool = False  # the App's, not the reading screen's: active under dialogs too

    @property
    def default_keys(self) -> tuple[str, ...]:
        return tuple(key.strip() for key in self.keys.split(",") if key.strip())


KEYS: tuple[Key, ...] = (
    # In the footer's order (the footer lists the shown ones as they come here).
    Key("quit", "quit", "q", "Elsewhere", "quit", "Quit", "Quit", footer=True,
        app_level=True),
    Key("help", "help", "question_mark", "Elsewhere", "this help", "Help", "Help",
        footer=True),
    Key("toggle_read", "toggle_read", "space", "Marking",
        "read ⇄ unread (list); mark the whole topic read (tree)", "Read", "Toggle read",
        footer=True),
    Key("mark_reading", "set_status('reading')", "r", "Marking", "reading", "Reading",
        "Mark reading", footer=True),
    Key("mark_skipped", "set_status('skipped')", "x", "Marking", "skipped", "Skip",
        "Mark skipped", footer=True),
    Key("priority_high", "set_priority('high')", "1", "Marking", "priority high", "High",
        "Priority high", footer=True),
    Key("priority_medium", "set_priority('medium')", "2", "Marking", "priority medium",
        "Med", "Priority medium", footer=True),
    Key("priority_low", "set_priority('low')", "3", "Marking", "priority low", "Low",
        "Priority low", footer=True),
    Key("priority_none", "set_priority('none')", "0", "Marking", "no priority",
        "No priority", "Priority none"),
    Key("mark_topic_read", "mark_topic_read", "", "Marking",
        "mark every item under the highlighted topic read", "Topic read", "Mark topic read"),
    Key("edit_note", "edit_note", "n", "Marking",
        "edit the note (Ctrl+S saves, Esc cancels)", "Note", "Edit note", footer=True),
    Key("edit_note_external", "edit_note_external", "E", "Marking",
        "edit the note in $EDITOR", "$EDITOR", "Edit note in $EDITOR"),
    Key("open_url", "open_url", "o", "Elsewhere",
        "open the link in the browser (a dead one: offers the archived copy)", "Open",
        "Open link", footer=True),
    Key("open_archived", "open_archived", "w", "Elsewhere",
        "open the archived copy (web.archive.org)", "Archived", "Open archived copy"),
    Key("copy_url", "copy_url", "c", "Elsewhere", "copy the link", "Copy", "Copy link",
        footer=True),
    Key("next_link", "next_link", "right_square_bracket", "Elsewhere",
        "choose the item's next link (Demo, PDF...) for o and c", "Next link", "Next link"),
    Key("open_and_read", "open_and_read", "O", "Elsewhere",
        "open the link and mark the item reading", "Open + reading",
        "Open link and mark reading"),
    Key("queue", "queue", "Q", "Moving",
        "the queue: reading, then unread by priority (Enter goes, O opens)", "Queue", "Queue",
        footer=True),
    Key("stats", "stats", "S", "Elsewhere", "reading stats: per topic, per week, streak",
        "Stats", "Reading stats"),
    Key("edit_tags", "edit_tags", "t", "Marking",
        "tags: add or remove (spaces or commas between)", "Tags", "Edit tags"),
    Key("edit_title", "edit_title", "T", "Marking",
        "your own title for the item (empty: the list's)", "Title", "Retitle item"),
    Key("search", "search", "slash", "Finding",
        "search items, topics, tags, passages, notes (Tab: this topic only)",
        "Search", "Search", footer=True),
    Key("cycle_filter", "cycle_filter", "f", "Finding",
        "filter: all / to do / reading / prioritised / noted / new / dead links", "Filter",
        "Cycle filter", footer=True),
    Key("filter_dialog", "filter_dialog", "F", "Finding",
        "filters that combine: statuses, priority, noted, tags, new, dead", "Filters",
        "Filters"),
    Key("cycle_sort", "cycle_sort", "s", "Finding", "sort: list order / priority / status",
        "Sort", "Cycle sort", footer=True),
    Key("zoom", "zoom", "z", "Moving",
        "zoom: the focused pane fills the screen (z or Esc: back)", "Zoom", "Zoom pane"),
    Key("toggle_scope", "toggle_scope", "a", "Moving",
        "list this topic only / with all subtopics", "Subtopics", "Toggle subtopics"),
    Key("undo", "undo", "u,ctrl+z", "Marking", "undo (several steps)", "Undo", "Undo",
        footer=True),
    Key("redo", "redo", "ctrl+y", "Marking", "redo", "Redo", "Redo"),
    Key("export_notes", "export_notes", "e", "Elsewhere", "export notes to markdown",
        "Export", "Export notes"),
    Key("switch_list", "switch_list", "L", "Finding",
        "switch to another list of your library", "Lists", "Switch list", footer=True),
    Key("acknowledge_new", "acknowledge_new", "N", "Finding",
        "count every new item as seen (NEW marks go)", "Seen new", "Seen all new"),
    Key("check_links", "check_links", "C", "Elsewhere", "check every link in the background",
        "Check links", "Check links"),
)

KEYS_BY_ID: dict[str, Key] = {key.id: key for key in KEYS}

# The panes' own keys (moving in a tree or a list): not rebindable, shown in the help.
NAVIGATION: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "next / previous pane"),
    ("↑ ↓  j k", "move in the tree or the list; scroll Details and this help"),
    ("Enter  →  l", "expand a topic (tree); open the link (list)"),
    ("←  h", "collapse a topic, or go to its parent"),
    ("PgUp PgDn  g G", "page, first, last (list, Details, this help)"),
    ("Home End", "first, last (tree, list, Details, this help)"),
    ("y n", "answer a question (yes / no)"),
)
# What those keys and Textual's own are as key names: a keymap may not take them.
RESERVED = frozenset({
    "tab", "shift+tab", "up", "down", "left", "right", "j", "k", "h", "l", "enter",
    "pageup", "pagedown", "home", "end", "g", "G", "escape", "ctrl+p", "ctrl+q", "ctrl+c",
})
# Keys of the App itself (not of the reading screen).
APP_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+P", "command palette (every action; themes)"),
    ("Ctrl+Q", "quit, as q"),
)

_NAMES = {
    "space": "space", "slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter",
    "tab": "Tab", "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp",
    "pagedown": "PgDn", "home": "Home", "end": "End", "delete": "Del", "backspace": "⌫",
    "comma": ",", "full_stop": ".", "minus": "-", "plus": "+", "left_square_bracket": "[",
    "right_square_bracket": "]",
}
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_KEY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def display_key(key: str) -> str:
    """``ctrl+z`` -> ``Ctrl+Z``, ``question_mark`` -> ``?``: as the help writes keys."""
    *modifiers, last = key.split("+")
    name = _NAMES.get(last, last if len(last) == 1 else last.capitalize())
    if modifiers and len(name) == 1:
        name = name.upper()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def key_problem(key: str) -> str | None:
    """Why ``key`` is not a key Textual can bind, or None."""
    *modifiers, last = key.split("+")
    bad = [m for m in modifiers if m not in _MODIFIERS]
    if bad:
        return f"{bad[0]!r} is not a modifier ({', '.join(_MODIFIERS)})"
    if not last or (len(last) > 1 and not _KEY_NAME.match(last)):
        return f"{key!r} is not a key (a character, or a name such as f5, space, ctrl+k)"
    if len(last) == 1 and (not last.isprintable() or last.isspace() or last == ","):
        return f"{key!r} is not a key (write space, comma ... by name)"
    return None


def resolve_keymap(config: UserConfig) -> tuple[dict[str, str], str | None]:
    """The keymap (id -> keys) the user's config asks for, and the problem with it.

    Any problem (an unknown id, a bad key, two actions on one key) is one message naming
    the line, and then no keymap at all: the defaults are used.
    """
    keymap: dict[str, str] = {}
    for action_id, value in config.keys.items():
        line = config.key_lines.get(action_id)
        if action_id not in KEYS_BY_ID:
            known = ", ".join(sorted(KEYS_BY_ID))
            return {}, config.with_problem(
                line, f"no action {action_id!r} (dlreader keys lists them: {known})").problem
        keys = [key.strip() for key in value.split(",")]
        for key in keys:
            problem = key_problem(key) or (
                f"{display_key(key)} moves in the panes (or is Textual's); choose another key"
                if key in RESERVED else None)
            if problem is not None:
                return {}, config.with_problem(line, problem).problem
        keymap[action_id] = ",".join(keys)
    owner: dict[str, str] = {}
    for entry in KEYS:
        for key in keys_in_force(entry, keymap):
            if key in owner:
                other = owner[key]
                # The line that made the clash: the user's entry (the later one of two).
                mine = [i for i in (other, entry.id) if i in keymap]
                blame = max(mine, key=lambda i: config.key_lines.get(i, 0))
                return {}, config.with_problem(
                    config.key_lines.get(blame),
                    f"{display_key(key)} would be both {other} and {entry.id}").problem
            owner[key] = entry.id
    return keymap, None


def keys_in_force(entry: Key, keymap: Mapping[str, str]) -> tuple[str, ...]:
    if entry.id in keymap:
        return tuple(key for key in keymap[entry.id].split(",") if key)
    return entry.default_keys


def bindings(*, app_level: bool = False) -> list[Binding]:
    """The reading screen's BINDINGS: every key, in the footer's order. With
    ``app_level``, the App's: its own actions again, hidden, so they also work under a
    dialog (q quits from the list switcher). The App applies the user's keymap to both."""
    from textual.binding import Binding

    if app_level:
        return [Binding(entry.keys, entry.action, entry.label, show=False, id=entry.id)
                for entry in KEYS if entry.keys and entry.app_level]
    return [
        Binding(entry.keys, f"app.{entry.action}" if entry.app_level else entry.action,
                entry.label, show=entry.footer, id=entry.id)
        for entry in KEYS if entry.keys
    ]


def table_in_force(keymap: Mapping[str, str]) -> list[dict[str, object]]:
    """``dlreader keys``: one row per action, with the keys in force."""
    return [
        {"id": entry.id, "keys": list(keys_in_force(entry, keymap)), "group": entry.group,
         "description": entry.description}
        for entry in KEYS
    ]


def help_rows(keymap: Mapping[str, str]) -> Iterable[tuple[str, tuple[tuple[str, str], ...]]]:
    """(group, ((keys, meaning), ...)) for the help screen, with the keys in force."""
    for group in GROUPS:
        rows = list(NAVIGATION) if group == "Moving" else []
        for entry in KEYS:
            keys = keys_in_force(entry, keymap)
            if entry.group == group and keys:
                rows.append(("  ".join(display_key(key) for key in keys), entry.description))
        if group == "Elsewhere":
            rows.extend(APP_KEYS)
        yield group, tuple(rows)
