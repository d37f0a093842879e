"""The command line: ``dlreader`` opens the app; its commands work without it.

Non-interactive commands never import Textual: each handler lives in
``dlreader.commands`` and is imported only when its command runs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from dlreader.errors import EXIT_FAILURE, EXIT_USAGE, DlreaderError, describe
from dlreader.textsafe import terminal_text

if TYPE_CHECKING:
    import argparse

_COMMON_OPTIONS = {"--source": "source", "--user": "user", "--data-dir": "data_dir"}


def _launch_only(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain app launch (only common options), else None.

    Opening the app is the hot path: it skips building the whole command tree, and
    importing argparse (~5 ms with gettext).
    """
    values: dict[str, str | None] = dict.fromkeys(_COMMON_OPTIONS.values())
    tokens = iter(argv)
    for token in tokens:
        option, equals, value = token.partition("=")
        if option not in _COMMON_OPTIONS:
            return None
        if not equals:
            value = next(tokens, "")
            if not value or value.startswith("-"):
                return None  # let the full parser say what is wrong
        values[_COMMON_OPTIONS[option]] = value
    return SimpleNamespace(command=None, **values)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from dlreader.cli_parser import build_parser

    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:  # started with stdout closed (`dlreader dump >&-`)
        if sys.stderr is not None:
            print("dlreader: standard output is closed; nothing to write to", file=sys.stderr)
        return EXIT_USAGE
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _launch_only(argv) or _parse(argv)
    from dlreader.commands import Context

    try:
        context = Context.from_args(args)
        if args.command is None:
            from dlreader.commands.launch import launch_app

            return launch_app(context)
        module_name, function_name = args.handler.split(":")
        module = importlib.import_module(f"dlreader.commands.{module_name}")
        return int(getattr(module, function_name)(args, context) or 0)
    except DlreaderError as error:
        print(terminal_text(f"dlreader: {error.message}"), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`dlreader list | head`): not an error.
        sys.stderr.close()
        return 0
    except OSError as error:
        # Last line of defence: an OS error no command turned into its own message still
        # reaches the user as one line, not a traceback. Writes are atomic, so nothing
        # half-written was left behind.
        where = f"{error.filename}: " if error.filename is not None else ""
        print(terminal_text(f"dlreader: {where}{describe(error)}"), file=sys.stderr)
        return EXIT_FAILURE
