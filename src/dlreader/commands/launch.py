"""``dlreader`` with no command: open the reading app (the only place Textual is imported)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from msgspec.structs import replace

from dlreader.commands import Context
from dlreader.errors import EXIT_USAGE

# Long enough for a slow disk; the writer normally drains in milliseconds.
FLUSH_TIMEOUT = 30.0


def _check_list(path: Path) -> None:
    """Fail before the terminal is taken over when the list cannot be read.

    The common case (a readable UTF-8 file) costs one read and no imports; any doubt is
    handed to the loader, whose errors are the one-line ``CatalogError``s the CLI prints.
    Only a regular file is read here: a FIFO would block and /dev/zero never ends.
    """
    try:
        if path.is_file():
            data = path.read_bytes()
            if b"\x00" not in data:
                data.decode("utf-8")
                return
    except (OSError, UnicodeDecodeError):
        pass
    from dlreader.catalog.loader import read_list_text

    read_list_text(path)


def launch_app(context: Context) -> int:
    # Before anything heavy: without a terminal there is nothing to draw on.
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "dlreader: needs a terminal (stdin and stdout must be a TTY); "
            "use the commands (dlreader --help) in scripts",
            file=context.stderr,
        )
        return EXIT_USAGE

    while True:
        # Start-up makes some 10^5 objects (modules, the cached catalog, widgets) and no
        # garbage worth a collection, yet a full one ran inside the first paint (~20 ms):
        # the cyclic GC is off until the first topic's links are on screen, when the app
        # turns it on again (app/loading.py: after_first_links).
        gc.disable()
        # A remote list with no kept copy is downloaded here, before the terminal is
        # taken over; a kept copy opens at once and the app refreshes it in the background.
        context.refresh_stale = False
        _check_list(context.source)
        # A big list with no parse cache starts loading now, while Textual is imported;
        # first of all (its outline is forked off, see loader.prefetch), for a head start.
        from dlreader.catalog.loader import prefetch

        opened = context.opened
        loading = prefetch(context.source, base_url=opened.base_url if opened else None)
        store = context.open_store()

        from dlreader.app import build_app

        app = build_app(context.source, store, user=context.user, handle_signals=True,
                        opened=opened, loading=loading)
        try:
            app.run()
        finally:
            # Nothing acknowledged on screen is lost: wait for the writer to drain.
            app.writer.stop()
            app.writer.wait_stopped(FLUSH_TIMEOUT)
            store.close()
        if app.switch_to is None or app.return_code:
            # q, SIGTERM and SIGHUP all leave through App.exit with everything written: 0.
            # A crash sets 1 (Textual has printed the report, without locals).
            return app.return_code or 0
        # The list switcher (L): the same user, another list of the library.
        context = replace(context, source_arg=app.switch_to or None)
