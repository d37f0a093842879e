"""A ``$BROWSER`` shell wrapper never runs a command hidden in a URL (issue #9, item 11)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dlreader.app.browser import browser_commands, open_url


def wait_for_file(path: Path, timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.read_text(encoding="utf-8").endswith("\n"):
            return path.read_text(encoding="utf-8")
        time.sleep(0.02)  # polling for the detached browser's output, not a fixed wait
    raise AssertionError(f"{path} never written")


def test_a_sh_c_wrapper_gets_the_url_and_runs_nothing_hidden_in_it(tmp_path: Path) -> None:
    out = tmp_path / "opened"
    marker = tmp_path / "pwned"
    url = f"https://example.org/a;touch${{IFS}}{marker};`touch {marker}`&b=$(id)"
    env = {"BROWSER": f"sh -c 'echo %s > {out}'", "PATH": os.environ["PATH"]}
    result = open_url(url, env)
    assert result.opened
    opened = wait_for_file(out)
    assert opened.startswith("https://example.org/a%3Btouch")
    assert not marker.exists()


def test_a_whole_word_percent_s_is_the_url_as_one_argument() -> None:
    url = "https://example.org/a;b&c=$(d)"
    assert browser_commands(url, {"BROWSER": "firefox --new-tab %s"})[0] == [
        "firefox", "--new-tab", url,
    ]
    assert browser_commands(url, {"BROWSER": "firefox"})[0] == ["firefox", url]
