"""``dlreader dump``: the parsed reading list as JSON."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dlreader.textsafe import print_json

if TYPE_CHECKING:
    from dlreader.commands import Context


def dump(args: argparse.Namespace, context: Context) -> int:
    from dlreader.linkhealth.display import link_fields

    catalog = context.load_catalog()
    book = context.link_book()
    data = catalog.to_dict()
    for item in data["items"]:
        item.update(link_fields(book.get(item["url"])))
    print_json(data, context.stdout)
    return 0
