"""The core (model, parser, store, export, CLI commands) must not import Textual.

Every module of the package is checked, found by walking it, so a new core module is
covered without being listed here. Only the app and the two commands that show it are
allowed Textual.
"""

import pkgutil
import subprocess
import sys

import dlreader

# `dlreader` (no command) runs the app; `dlreader keys` prints the app's key table.
ALLOWED = ("dlreader.app", "dlreader.commands.launch", "dlreader.commands.keys")


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(dlreader.__path__, "dlreader.")]
    # __main__ would run the CLI on import.
    core = (n for n in names if not n.startswith(ALLOWED) and n != "dlreader.__main__")
    return ["dlreader", *core]


def test_every_core_module_is_found() -> None:
    found = core_modules()
    assert {"dlreader.cli", "dlreader.cli_parser", "dlreader.commands.mark",
            "dlreader.commands.list_items", "dlreader.store.store",
            "dlreader.catalog.parser", "dlreader.search"} <= set(found)
    assert not any(name.startswith("dlreader.app") for name in found)


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
