"""``dlreader keys``: the app's keys in force (the defaults with config.toml's [keys])."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dlreader.commands import say
from dlreader.textsafe import json_text

if TYPE_CHECKING:
    from dlreader.commands import Context


def keys(args: argparse.Namespace, context: Context) -> int:
    from dlreader.app.keys import display_key, resolve_keymap, table_in_force
    from dlreader.config import load_config

    config = load_config()
    keymap, problem = resolve_keymap(config)
    if config.problem or problem:
        say(context, config.problem or problem or "")
    rows = table_in_force(keymap)
    if args.format == "json":
        print(json_text(rows), file=context.stdout)
        return 0
    id_width = max(len(str(row["id"])) for row in rows)
    key_width = max(len(" ".join(display_key(k) for k in row["keys"]))  # type: ignore[attr-defined]
                    for row in rows)
    for row in rows:
        shown = " ".join(display_key(k) for k in row["keys"]) or "-"  # type: ignore[attr-defined]
        print(f"{row['id']:<{id_width}}  {shown:<{key_width}}  {row['group']:<9}  "
              f"{row['description']}", file=context.stdout)
    return 0
