"""The README: its first commands, and a key table that names every key the app binds."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from textual.binding import Binding

from dlreader.app.app import DlreaderApp
from dlreader.app.components.item_list import ItemList
from dlreader.app.components.key_scroll import KeyScroll
from dlreader.app.components.topic_tree import TopicTree
from dlreader.app.screens.confirm import ConfirmScreen
from dlreader.app.screens.help import HelpScreen
from dlreader.app.screens.list_switcher import ListSwitcher
from dlreader.app.screens.note_editor import NoteEditor
from dlreader.app.screens.reading import ReadingScreen
from dlreader.app.screens.search import SearchScreen
from dlreader.cli_parser import build_parser
from dlreader.errors import EXIT_BUSY, EXIT_DAMAGED, EXIT_FAILURE, EXIT_OK, EXIT_USAGE

README = Path(__file__).resolve().parents[2] / "README.md"
# Every class of ours that binds keys: the main screen, its panes, and the dialogs.
BINDING_OWNERS: tuple[type, ...] = (
    DlreaderApp, ReadingScreen, ItemList, TopicTree, KeyScroll, NoteEditor, SearchScreen,
    ConfirmScreen, HelpScreen, ListSwitcher,
)
# Textual's key names as the README writes them.
KEY_NAMES = {
    "question_mark": "?", "slash": "/", "right_square_bracket": "]", "space": "Space",
    "up": "↑", "down": "↓",
    "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home",
    "end": "End", "enter": "Enter", "escape": "Esc", "tab": "Tab",
}


def readme() -> str:
    return README.read_text(encoding="utf-8")


def readme_key(key: str) -> str:
    """``ctrl+z`` -> ``Ctrl+Z``, ``question_mark`` -> ``?``, ``G`` -> ``G``."""
    if key.startswith("ctrl+"):
        return "Ctrl+" + readme_key(key.removeprefix("ctrl+")).upper()
    return KEY_NAMES.get(key, key)


def bound_keys(owner: type) -> set[str]:
    keys: set[str] = set()
    for binding in owner.__dict__.get("BINDINGS", []):
        assert isinstance(binding, Binding), binding
        keys.update(key.strip() for key in binding.key.split(","))
    return keys


def key_table(text: str) -> list[str]:
    """The rows of the table under the "Keys" heading."""
    match = re.search(r"^#+ Keys\n(.*?)(?=^#)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README has no Keys section"
    rows = [line for line in match.group(1).splitlines() if line.startswith("|")]
    assert len(rows) > 2, "the Keys section has no table"
    return rows[2:]  # past the header and the |---| line


def keys_in_table(rows: list[str]) -> set[str]:
    return {token for row in rows for token in re.findall(r"`([^`]+)`", row)}


def test_readme_starts_with_the_install_and_test_commands() -> None:
    lines = readme().splitlines()
    assert lines[0] == "# dlreader"
    fence = lines.index("```sh")
    assert fence <= 3, "the first thing after the title is the commands block"
    assert lines[fence + 1].startswith("pip install . && dlreader ")
    assert lines[fence + 2].startswith("pip install -e '.[test]' && pytest ")
    assert lines[fence + 3] == "```"


def test_the_key_table_is_found_and_read() -> None:
    table = keys_in_table(key_table(readme()))
    assert {"q", "Space", "Ctrl+Z", "?"} <= table
    with pytest.raises(AssertionError, match="no Keys section"):
        key_table("# dlreader\n\n## Commands\n")


@pytest.mark.parametrize("owner", BINDING_OWNERS, ids=lambda owner: owner.__name__)
def test_every_bound_key_is_in_the_readme_key_table(owner: type) -> None:
    keys = bound_keys(owner)
    assert keys, f"{owner.__name__} binds no keys"
    table = keys_in_table(key_table(readme()))
    missing = sorted(f"{key} ({readme_key(key)})" for key in keys if readme_key(key) not in table)
    assert not missing, f"keys bound by {owner.__name__} but not in README's key table: {missing}"


def test_every_action_of_the_key_table_is_in_the_readme_key_table() -> None:
    from dlreader.app.keys import KEYS

    table = keys_in_table(key_table(readme()))
    missing = [(entry.id, key) for entry in KEYS for key in entry.default_keys
               if readme_key(key) not in table]
    assert not missing, f"keys of app/keys.py not in README's key table: {missing}"


def test_key_names_are_translated() -> None:
    assert readme_key("ctrl+y") == "Ctrl+Y"
    assert readme_key("question_mark") == "?"
    assert readme_key("E") == "E"


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_has_an_example_in_the_readme() -> None:
    text = readme()
    commands = subcommands(build_parser())
    assert {"dump", "mark", "list", "topics", "stats", "undo", "redo", "export",
            "state"} <= set(commands)
    examples = [line for line in text.splitlines() if line.startswith("$ dlreader ")]
    for name, sub in commands.items():
        actions = subcommands(sub)
        for full in [f"{name} {action}" for action in actions] or [name]:
            assert any(line.startswith(f"$ dlreader {full}") for line in examples), \
                f"no `$ dlreader {full} ...` example in README"


def test_the_exit_codes_table_has_every_code() -> None:
    codes = {EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_DAMAGED, EXIT_BUSY}
    rows = re.findall(r"^\| (\d+) \|", readme(), flags=re.MULTILINE)
    assert codes <= {int(code) for code in rows}, rows


def test_the_screenshot_is_in_the_readme_and_in_the_repository() -> None:
    assert "![dlreader](docs/screenshot.svg)" in readme()
    svg = README.parent / "docs" / "screenshot.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")
