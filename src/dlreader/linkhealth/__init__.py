"""Link health: check a list's links, remember what was found, fetch page titles.

Pure core (no Textual). ``checker`` talks HTTP, ``arxiv`` asks the arXiv API,
``titles`` reads a page's title, ``records`` is the shared ``links.json``, ``run``
ties them together for the CLI and the app.
"""
