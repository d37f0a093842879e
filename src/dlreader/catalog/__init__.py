"""The reading list model and its parser. Pure core: never imports Textual.

The model is imported eagerly; the parser, outline scan and loader on first use, so
code that only needs the records does not pay for markdown-it.
"""

from typing import TYPE_CHECKING, Any

from dlreader.catalog.model import PASSAGE_KINDS, Catalog, Item, Passage, Topic

if TYPE_CHECKING:
    from dlreader.catalog.loader import cached_catalog, load_catalog, read_list_text
    from dlreader.catalog.outline import scan_outline
    from dlreader.catalog.parser import parse_catalog

_LAZY = {
    "parse_catalog": "dlreader.catalog.parser",
    "scan_outline": "dlreader.catalog.outline",
    "load_catalog": "dlreader.catalog.loader",
    "cached_catalog": "dlreader.catalog.loader",
    "read_list_text": "dlreader.catalog.loader",
}

__all__ = [
    "PASSAGE_KINDS",
    "Catalog",
    "Item",
    "Passage",
    "Topic",
    "cached_catalog",
    "load_catalog",
    "parse_catalog",
    "read_list_text",
    "scan_outline",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
