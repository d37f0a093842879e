"""``dlreader`` with no command: open the reading app (the only place Textual is imported)."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from dlreader.commands import Context
from dlreader.errors import EXIT_USAGE

# Long enough for a slow disk; the writer normally drains in milliseconds.
FLUSH_TIMEOUT = 30.0


def launch_app(context: Context) -> int:
    # Before anything heavy: without a terminal there is nothing to draw on.
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "dlreader: needs a terminal (stdin and stdout must be a TTY); "
            "use the commands (dlreader --help) in scripts",
            file=context.stderr,
        )
        return EXIT_USAGE

    from dlreader.catalog.loader import read_list_text

    read_list_text(context.source)  # a missing or unreadable list fails here, in one line
    store = context.open_store()

    from dlreader.app import build_app

    app = build_app(context.source, store, user=context.user)

    def stop(signum: int, frame: FrameType | None) -> None:
        # SIGTERM / SIGHUP: leave through the normal exit, which flushes pending writes.
        app.call_later(app.exit, 128 + signum)

    previous = {
        number: signal.signal(number, stop)
        for number in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))
    }
    try:
        result = app.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        # Nothing acknowledged on screen is lost: wait for the writer to finish.
        app.writer.stop()
        app.writer.wait_stopped(FLUSH_TIMEOUT)
    return int(result or 0) if app.return_code in (0, None) else int(app.return_code or 1)
