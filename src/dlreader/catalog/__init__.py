"""The reading list model and its parser. Pure core: never imports Textual."""

from dlreader.catalog.model import PASSAGE_KINDS, Catalog, Item, Passage, Topic

__all__ = ["PASSAGE_KINDS", "Catalog", "Item", "Passage", "Topic"]
