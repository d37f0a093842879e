"""What `dlreader state import` and `state export` say: changed and removed counted
apart, plurals right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import URL_A, URL_B, run_cli


def test_import_replace_counts_changed_and_removed_apart(
    capsys: pytest.CaptureFixture[str], ab_list: Path, tmp_path: Path
) -> None:
    common = ("--source", str(ab_list), "--user", "alice")
    export = tmp_path / "one-record.json"
    assert run_cli(capsys, *common, "mark", URL_A, "--status", "read")[0] == 0
    assert run_cli(capsys, *common, "state", "export", str(export))[0] == 0
    assert json.loads(export.read_text())  # the export holds A only
    assert run_cli(capsys, *common, "mark", URL_A, "--status", "skipped")[0] == 0
    assert run_cli(capsys, *common, "mark", URL_B, "--status", "reading")[0] == 0

    code, _, err = run_cli(capsys, *common, "state", "import", str(export), "--replace")
    assert code == 0
    message = err.strip().splitlines()[0]
    assert message.startswith(
        f"dlreader: imported {export} (replace): 1 of 1 record changed, "
        "1 record not in the file removed; backup of the previous state: "
    ), message


def test_import_merge_message_uses_the_plural_and_says_nothing_about_removals(
    capsys: pytest.CaptureFixture[str], ab_list: Path, tmp_path: Path
) -> None:
    common = ("--source", str(ab_list), "--user", "alice")
    export = tmp_path / "two-records.json"
    assert run_cli(capsys, *common, "mark", URL_A, URL_B, "--status", "read")[0] == 0
    code, _, err = run_cli(capsys, *common, "state", "export", str(export))
    assert code == 0
    assert err.strip() == f"dlreader: exported 2 records of alice to {export}"

    code, _, err = run_cli(capsys, *common, "state", "import", str(export), "--merge")
    assert code == 0
    assert err.strip().startswith(f"dlreader: imported {export} (merge): 0 of 2 records changed;")


def test_export_of_one_record_is_singular(
    capsys: pytest.CaptureFixture[str], ab_list: Path, tmp_path: Path
) -> None:
    common = ("--source", str(ab_list), "--user", "alice")
    export = tmp_path / "one.json"
    assert run_cli(capsys, *common, "mark", URL_A, "--status", "read")[0] == 0
    code, _, err = run_cli(capsys, *common, "state", "export", str(export))
    assert code == 0
    assert err.strip() == f"dlreader: exported 1 record of alice to {export}"
