"""A plain launch skips building the command tree; anything else gets the full parser."""


import pytest
from cli_support import run_fresh

from dlreader.cli import _launch_only
from dlreader.cli_parser import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--user", "bob"],
        ["--source", "list.md", "--data-dir", "/tmp/d"],
        ["--source=list.md", "--user=bob"],
    ],
)
def test_launch_arguments_match_the_full_parser(argv: list[str]) -> None:
    fast = _launch_only(argv)
    full = build_parser().parse_args(argv)
    assert fast is not None
    for name in ("command", "source", "user", "data_dir"):
        assert getattr(fast, name) == getattr(full, name)


@pytest.mark.parametrize(
    "argv", [["list"], ["--help"], ["--version"], ["--user"], ["--user", "--source", "x"], ["-x"]]
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert _launch_only(argv) is None


def test_a_plain_launch_imports_no_argparse() -> None:
    """The launch's own modules, loaded as `dlreader` loads them, leave argparse (and its
    gettext) unimported: a command needs it, opening the app does not."""
    code = (
        "import sys\n"
        "from dlreader.cli import _launch_only\n"
        "from dlreader.commands import Context\n"
        "import dlreader.commands.launch, dlreader.app.app\n"
        "args = _launch_only(['--user', 'bob'])\n"
        "assert Context.from_args(args).user == 'bob'\n"
        "print(sorted(m for m in sys.modules if m in ('argparse', 'gettext')))\n"
    )
    assert run_fresh(code) == "[]"
