"""Where a reading list comes from: a local file, a URL, or a GitHub repository.

Pure core (no Textual): ``spec`` reads what the user gave, ``download`` fetches a remote
list with httpx, ``kept`` keeps the downloaded copy under the data dir, and ``remote``
ties them together (open with the kept copy, refresh when it is stale, update).
"""
