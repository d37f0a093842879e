"""The command tree of ``dlreader``: argparse, built only when a command (or a mistake)
needs it; a plain launch is parsed by ``dlreader.cli`` without importing argparse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from dlreader import __version__
from dlreader.errors import EXIT_USAGE
from dlreader.store.records import PRIORITIES, STATUSES
from dlreader.textsafe import terminal_text

EPILOG = """\
exit codes:
  0  ok
  1  a write failed (disk full, read-only, permission); nothing was lost
  2  bad usage or input (missing or unreadable list, unknown item, bad file)
  3  the state file is damaged, or was written by a newer dlreader
  4  the state file is busy (another dlreader holds its lock)
  5  `dlreader check` reached no server at all: you appear to be offline

environment:
  DLREADER_DATA_DIR   where <user>.json stores and backups/ live
  DLREADER_CACHE_DIR  where parsed lists are cached (only ever an optimisation)
  DLREADER_GITHUB_RAW where github:owner/repo is downloaded from (default
                      https://raw.githubusercontent.com)
  DLREADER_HTTP_TIMEOUT  seconds to wait for a server (default 15)
  BROWSER             the command the app's `o` key opens URLs with
  DLREADER_ARXIV_API  the arXiv API `dlreader check` asks about arXiv links
"""


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code and one line, not a wall of help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # The message quotes the arguments given, which may hold any byte.
        self.exit(EXIT_USAGE, terminal_text(f"{self.prog}: error: {message}\n"))


def _add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # On subcommands the defaults are suppressed so an option given before the command
    # is not reset by the subcommand's default.
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--source",
        metavar="LIST",
        default=default(None),
        help="the markdown reading list: a file, an http(s) URL or github:owner/repo "
        "(default: the bundled Science of Deep Learning)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=default(None),
        help="whose reading state to use (default: your login name)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default(None),
        help="where state files live (default: $DLREADER_DATA_DIR or the user data dir)",
    )


def _format_option(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0])


def _number(text: str, convert: type, ok: Callable[[float], bool], what: str) -> Any:
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def _positive_int(text: str) -> int:
    return int(_number(text, int, lambda v: v >= 1, "a whole number of at least 1"))


def _positive(text: str) -> float:
    return float(_number(text, float, lambda v: 0 < v < float("inf"), "a positive number"))


def _non_negative(text: str) -> float:
    return float(_number(text, float, lambda v: 0 <= v < float("inf"), "a number >= 0"))


def _add_command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    handler: str,
    help_text: str,
) -> argparse.ArgumentParser:
    """One command of the tree (``handler`` is ``module:function`` under dlreader.commands)."""
    sub = commands.add_parser(name, help=help_text, description=help_text)
    _add_common(sub, suppress=True)
    sub.set_defaults(handler=handler)
    return sub


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dlreader",
        description="Work through a large curated markdown reading list in the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dlreader {__version__}")
    _add_common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        return _add_command(commands, name, handler, help_text)

    dump = command("dump", "dump:dump", "print the parsed reading list")
    _format_option(dump, ("json",))

    mark = command("mark", "mark:mark",
                   "set status, priority, note, tags or your own title on items")
    mark.add_argument("items", nargs="*", metavar="ITEM", help="a URL or an item id")
    mark.add_argument("--status", choices=STATUSES)
    mark.add_argument("--priority", choices=PRIORITIES)
    notes = mark.add_mutually_exclusive_group()
    notes.add_argument("--note", metavar="TEXT", help='the note (markdown); "" clears it')
    notes.add_argument(
        "--note-file", metavar="FILE", help="read the note from FILE, or - for stdin"
    )
    mark.add_argument("--tag", action="append", metavar="TAG", default=[],
                      help="add this tag (repeatable)")
    mark.add_argument("--untag", action="append", metavar="TAG", default=[],
                      help="remove this tag (repeatable)")
    mark.add_argument("--title", metavar="TEXT",
                      help='your own title for the item; "" gives the list\'s back')
    mark.add_argument("--topic", metavar="TITLE", help="with --all: every item of this topic")
    mark.add_argument("--all", action="store_true", help="with --topic: the whole topic")
    mark.add_argument("--include-skipped", action="store_true",
                      help="with --topic and --status: skipped items get the status too "
                           "(else they stay skipped)")

    listing = command("list", "list_items:list_items", "list items with their state")
    _format_option(listing, ("text", "json"))
    listing.add_argument("--status", choices=STATUSES, action="append",
                         help="only items with this status (repeat for any of several)")
    listing.add_argument("--priority", choices=PRIORITIES,
                         help="only items of at least this priority")
    listing.add_argument("--noted", action="store_true", help="only items with a note")
    listing.add_argument("--tag", action="append", metavar="TAG",
                         help="only items with this tag (repeat: all of them)")
    listing.add_argument("--topic", metavar="TITLE", help="only items under this topic")
    listing.add_argument(
        "--orphans", action="store_true", help="only state whose item left the list"
    )
    listing.add_argument(
        "--new", action="store_true", help="only items added since you last saw the list"
    )

    upcoming = command("next", "next_items:next_items",
                       "what to read next: reading first, then unread by priority")
    upcoming.add_argument("-n", type=int, default=10, metavar="N", help="how many (default 10)")
    _format_option(upcoming, ("text", "json"))

    finding = command("search", "search:search",
                      "search titles, descriptions, tags, topics, passages and notes")
    finding.add_argument("query", metavar="QUERY")
    finding.add_argument("-n", type=int, default=50, metavar="N", help="at most N hits")
    finding.add_argument("--topic", metavar="TITLE", help="only under this topic")
    _format_option(finding, ("text", "json"))

    topics = command("topics", "topics:topics", "the topic tree with done/total")
    _format_option(topics, ("text", "json"))

    stats = command("stats", "stats:stats",
                    "counts by status and priority, progress per topic, done per week, streak")
    _format_option(stats, ("text", "json"))

    command("undo", "undo:undo", "revert the last change (from the app or the CLI)")
    command("redo", "undo:redo", "re-apply the last undone change")

    lists = command("lists", "lists:lists", "the lists you have opened, with progress")
    _format_option(lists, ("text", "json"))
    lists.add_argument("--forget", metavar="NAME", help="remove a list (its state stays)")

    update = command("update", "update:update", "download the newest version of remote lists")
    update.add_argument("name", nargs="?", metavar="NAME", help="a list of `dlreader lists`")
    update.add_argument("--all", action="store_true", help="every remote list of the library")

    export = command(
        "export", "export:export_notes", "export notes to markdown, or papers to BibTeX"
    )
    export.add_argument(
        "--format", choices=("markdown", "bibtex"), default="markdown",
        help="bibtex: an entry for every exported arXiv paper (as if --all)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    export.add_argument("--status", choices=STATUSES, action="append", default=None)
    export.add_argument("--priority", choices=PRIORITIES, action="append", default=None)
    export.add_argument("--topic", metavar="TITLE", help="only items under this topic")
    export.add_argument(
        "--all", action="store_true", help="every touched item, not only noted ones"
    )

    check = command("check", "check:check", "check the list's links; fetch page titles")
    _format_option(check, ("text", "json"))
    check.add_argument("--topic", metavar="TITLE", help="only links under this topic")
    check.add_argument(
        "--older-than", metavar="DAYS", type=_non_negative, default=7.0,
        help="re-check links last checked at least DAYS ago (default 7; 0: all)",
    )
    check.add_argument(
        "--concurrency", metavar="N", type=_positive_int, default=32,
        help="requests at once in all (default 32)",
    )
    check.add_argument(
        "--per-host", metavar="N", type=_positive_int, default=2,
        help="requests at once to one host (default 2)",
    )
    check.add_argument(
        "--timeout", metavar="S", type=_positive, default=10.0,
        help="seconds to wait for an answer (default 10)",
    )

    keys = command("keys", "keys:keys", "the app's keys in force (config.toml can rebind them)")
    _format_option(keys, ("text", "json"))

    completion = command("completion", "completion:completion",
                         "print a shell completion script (bash, zsh or fish)")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))

    state = command("state", "", "back up, restore, export or import the state file")
    state_commands = state.add_subparsers(
        dest="state_command", metavar="ACTION", parser_class=_Parser
    )
    state_commands.required = True

    def state_command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        return _add_command(state_commands, name, handler, help_text)

    restore = state_command(
        "restore", "state:restore", "restore a backup (default: the newest good one)"
    )
    restore.add_argument("backup", nargs="?", metavar="BACKUP")
    state_command("backups", "state:backups", "list the backups")
    state_export = state_command(
        "export", "state:state_export", "write the whole state as JSON"
    )
    state_export.add_argument("file", metavar="FILE")
    state_import = state_command(
        "import", "state:state_import", "read state from a JSON export"
    )
    state_import.add_argument("file", metavar="FILE")
    mode = state_import.add_mutually_exclusive_group()
    mode.add_argument("--merge", action="store_true", help="the newer record wins per item")
    mode.add_argument("--replace", action="store_true", help="replace all state (after a backup)")
    return parser
