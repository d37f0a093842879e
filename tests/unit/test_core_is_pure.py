"""The core (model, parser, store, export, CLI commands) must not import Textual."""

import subprocess
import sys

CORE_MODULES = [
    "dlreader.cli",
    "dlreader.locations",
    "dlreader.catalog",
    "dlreader.catalog.model",
    "dlreader.catalog.parser",
    "dlreader.catalog.loader",
    "dlreader.catalog.outline",
    "dlreader.catalog.cache",
    "dlreader.commands.catalog_cmds",
    "dlreader.store.records",
    "dlreader.store",
    "dlreader.store.storage",
    "dlreader.store.schema",
    "dlreader.store.journal",
    "dlreader.store.lock",
    "dlreader.store.backups",
    "dlreader.store.store",
    "dlreader.commands.state_cmds",
    "dlreader.commands",
    "dlreader.export",
    "dlreader.state_file",
    "dlreader.commands.export_cmds",
    "dlreader.commands.state_io_cmds",
    "dlreader.commands.sources_cmds",
    "dlreader.sources.spec",
    "dlreader.sources.download",
    "dlreader.sources.kept",
    "dlreader.sources.remote",
    "dlreader.sources.opening",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
