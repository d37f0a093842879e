"""``dlreader completion bash|zsh|fish``: a completion script made from the argparse tree."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlreader.commands import Context


def completion(args: argparse.Namespace, context: Context) -> int:
    import shtab

    from dlreader.cli_parser import build_parser

    script = shtab.complete(build_parser(), shell=args.shell)
    context.stdout.write(script if script.endswith("\n") else script + "\n")
    return 0
