"""dlreader: a terminal reader for large curated markdown reading lists."""

__version__ = "0.1.0"
