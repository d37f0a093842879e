"""``dlreader dump``: the parsed reading list as JSON."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlreader.commands import Context


def dump(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    print(json.dumps(catalog.to_dict(), ensure_ascii=False, indent=2), file=context.stdout)
    return 0
