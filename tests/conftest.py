"""Shared fixtures. Every test runs with dlreader's directories inside tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "science-of-deep-learning.md"
SHARED_LISTS = ROOT.parent / "shared" / "lists"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, cache and config dirs at tmp_path so no test touches the real ones."""
    home = tmp_path / "dlreader-home"
    for variable, name in (
        ("DLREADER_DATA_DIR", "data"),
        ("DLREADER_CACHE_DIR", "cache"),
        ("DLREADER_CONFIG_DIR", "config"),
    ):
        monkeypatch.setenv(variable, str(home / name))
    return home


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def awesome_path() -> Path:
    path = SHARED_LISTS / "awesome-python.md"
    if not path.is_file():
        pytest.skip(f"second real list not found at {path} (shared/ must sit beside the repo)")
    return path
