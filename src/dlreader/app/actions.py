"""The app's actions as the command palette lists them (every key's action is here)."""

from __future__ import annotations

# Actions that act on the list and must not fire under a modal screen (help, editor...).
MAIN_SCREEN_ACTIONS = frozenset({
    "toggle_read", "set_status", "set_priority", "edit_note", "edit_note_external",
    "open_url", "copy_url", "search", "cycle_filter", "cycle_sort", "toggle_scope", "undo",
    "redo", "export_notes", "help", "acknowledge_new", "switch_list",
    "open_archived", "check_links", "next_link",
})

# (action, title, help) for the command palette; every key's action is here.
PALETTE_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("toggle_read", "Toggle read", "Mark the highlighted item read, or unread again (space)"),
    ("set_status('reading')", "Mark reading", "Set the highlighted item to reading (r)"),
    ("set_status('skipped')", "Mark skipped", "Set the highlighted item to skipped (x)"),
    ("mark_topic_read", "Mark topic read", "Mark every item under the highlighted topic read"),
    ("set_priority('high')", "Priority high", "Set the item's priority to high (1)"),
    ("set_priority('medium')", "Priority medium", "Set the item's priority to medium (2)"),
    ("set_priority('low')", "Priority low", "Set the item's priority to low (3)"),
    ("set_priority('none')", "Priority none", "Clear the item's priority (0)"),
    ("edit_note", "Edit note", "Edit the item's note in the app (n)"),
    ("edit_note_external", "Edit note in $EDITOR", "Edit the item's note in your editor (E)"),
    ("open_url", "Open link", "Open the item's URL in the browser (o)"),
    ("open_archived", "Open archived copy",
     "Open the Wayback Machine's copy of the item's URL (w)"),
    ("check_links", "Check links", "Check every link in the background (C)"),
    ("copy_url", "Copy link", "Copy the item's URL to the clipboard (c)"),
    ("next_link", "Next link", "Choose the item's next link (Demo, PDF...) for o and c (])"),
    ("search", "Search", "Search titles, URLs, notes and passages (/)"),
    ("cycle_filter", "Cycle filter", "all / unread / prioritised / noted / new / dead links (f)"),
    ("acknowledge_new", "Seen all new", "Count every new item of the list as seen (N)"),
    ("switch_list", "Switch list", "Open another list of your library (L)"),
    ("cycle_sort", "Cycle sort", "list order / priority / status (s)"),
    ("toggle_scope", "Toggle subtopics", "List this topic only, or with all subtopics (a)"),
    ("undo", "Undo", "Undo the last change (u, Ctrl+Z)"),
    ("redo", "Redo", "Redo the last undone change (Ctrl+Y)"),
    ("export_notes", "Export notes", "Write the notes to a markdown file (e)"),
    ("help", "Help", "Show every key (?)"),
)
