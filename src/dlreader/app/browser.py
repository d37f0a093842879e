"""Opening a URL in a browser without ever taking over the terminal.

Order: ``$BROWSER`` (each ``:``-separated command, text-mode browsers skipped), else a
desktop opener when a display is available, else nothing — the caller shows the URL.
The browser runs detached (its own session, stdio to /dev/null): it can never draw over
the app or read its keys. No shell string is ever built from a URL: ``%s`` as a whole word
is the URL as one argument; inside a larger word (a ``sh -c`` wrapper) the URL's shell
characters are percent-encoded first.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

from msgspec import Struct

# Browsers that run inside the terminal: starting one would fight the app for it.
TEXT_BROWSERS = frozenset(
    {"lynx", "w3m", "links", "links2", "elinks", "www-browser", "browsh", "carbonyl", "netrik"}
)
GUI_OPENERS: tuple[tuple[str, ...], ...] = (("xdg-open",), ("gio", "open"), ("sensible-browser",))


class OpenResult(Struct, frozen=True):
    opened: bool
    detail: str  # the command used, or why nothing was opened


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _is_text_browser(command: list[str]) -> bool:
    return bool(command) and Path(command[0]).name in TEXT_BROWSERS


# What a shell reads in a word: a URL inside a larger word (``sh -c 'x %s'``) may be run by
# one, so these are percent-encoded there. A URL that is a whole word is passed as it is:
# it is one argument, never parsed.
_SHELL_SPECIAL = re.compile(r"""[\s;&|<>()$`'"\\!*{}\[\]^]""")


def shell_safe_url(url: str) -> str:
    """``url`` with every character a shell would act on percent-encoded."""
    return _SHELL_SPECIAL.sub(lambda match: quote(match.group(), safe=""), url)


def browser_commands(url: str, env: Mapping[str, str]) -> list[list[str]]:
    """The commands to try, in order, each with the URL in place."""
    commands: list[list[str]] = []
    for entry in env.get("BROWSER", "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if not words or _is_text_browser(words):
            continue
        if any("%s" in word for word in words):
            commands.append([url if word == "%s" else word.replace("%s", shell_safe_url(url))
                             for word in words])
        else:
            commands.append([*words, url])
    if sys.platform == "darwin":
        commands.append(["open", url])
    elif env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        commands.extend([*opener, url] for opener in GUI_OPENERS)
    return commands


def _spawn_detached(command: list[str], env: Mapping[str, str]) -> None:
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(env),
        close_fds=True,
    )
    # Reap it when it ends so no zombie is left behind.
    threading.Thread(target=process.wait, name="dlreader-browser", daemon=True).start()


def open_url(url: str | None, env: Mapping[str, str] | None = None) -> OpenResult:
    """Open an http(s) URL in a graphical browser; never a text-mode one."""
    environment = os.environ if env is None else env
    if not url or not is_web_url(url):
        return OpenResult(False, "not an http(s) URL")
    for command in browser_commands(url, environment):
        if shutil.which(command[0], path=environment.get("PATH")) is None:
            continue
        try:
            _spawn_detached(command, environment)
        except OSError:
            continue
        return OpenResult(True, Path(command[0]).name)
    return OpenResult(False, "no browser")
