"""Commands about where lists come from: update (and, with the library, lists)."""

from __future__ import annotations

import argparse

from dlreader.commands import Context, say
from dlreader.errors import UsageError
from dlreader.sources import remote
from dlreader.sources.spec import is_remote, remote_spec


def update(args: argparse.Namespace, context: Context) -> int:
    value = context.source_arg
    if not value or not is_remote(value):
        raise UsageError("update needs a remote list: --source URL or --source github:owner/repo")
    spec = remote_spec(value)
    outcome = remote.update(spec, context.data_dir)
    if outcome.changed:
        say(context, f"{spec.key}: downloaded a newer version")
    else:
        say(context, f"{spec.key}: already up to date")
    return 0
