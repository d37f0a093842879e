"""``dlreader dump``: the parsed reading list as JSON."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dlreader.textsafe import json_text

if TYPE_CHECKING:
    from dlreader.commands import Context


def dump(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    print(json_text(catalog.to_dict()), file=context.stdout)
    return 0
