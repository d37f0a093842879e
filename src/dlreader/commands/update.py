"""``dlreader update``: download the newest version of remote lists."""

from __future__ import annotations

import argparse

from dlreader.commands import Context, say
from dlreader.commands.lists import find_list, library_records
from dlreader.errors import UsageError
from dlreader.library import describe_changes, kept_catalog
from dlreader.sources import remote
from dlreader.sources.download import DownloadError
from dlreader.sources.spec import is_remote, remote_spec


def update(args: argparse.Namespace, context: Context) -> int:
    if args.all and args.name:
        raise UsageError("give a list's NAME or --all, not both")
    if args.all:
        sources = [r.source for r in library_records(context) if is_remote(r.source)]
        if not sources:
            say(context, "no remote lists in the library")
            return 0
    elif args.name:
        sources = [find_list(context, args.name).source]
    else:
        sources = [context.source_arg or ""]
    failed = 0
    for source in sources:
        if not is_remote(source):
            raise UsageError(
                "update needs a remote list: a NAME from `dlreader lists`, --all, "
                "or --source URL / github:owner/repo"
            )
        spec = remote_spec(source)
        before = kept_catalog(context.data_dir, source)
        try:
            outcome = remote.update(spec, context.data_dir)
        except DownloadError as error:
            if len(sources) == 1:
                raise
            failed += 1
            say(context, f"{spec.key}: {error.message}")
            continue
        if not outcome.changed:
            say(context, f"{spec.key}: already up to date")
            continue
        after = kept_catalog(context.data_dir, source)
        say(context, f"{spec.key}: downloaded a newer version"
            + (f" ({describe_changes(before, after)})" if before and after else ""))
    return 2 if failed else 0
