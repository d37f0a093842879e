"""A plain launch skips building the command tree; anything else gets the full parser."""

import pytest

from dlreader.cli import _launch_only, build_parser


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
