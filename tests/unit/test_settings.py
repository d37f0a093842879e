"""The remembered theme: a JSON file in the config dir, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from dlreader import settings


def test_no_file_means_no_theme(isolated_dirs: Path) -> None:
    assert settings.load_theme() is None
    assert settings.load_settings() == {}


def test_theme_round_trip_keeps_other_settings(isolated_dirs: Path) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"other": 1}))
    assert settings.save_theme("nord") == path
    assert settings.load_theme() == "nord"
    assert json.loads(path.read_text()) == {"other": 1, "theme": "nord"}
    assert path.parent == isolated_dirs / "config"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp left


def test_damaged_or_odd_files_mean_defaults(isolated_dirs: Path) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    for content in ("{not json", "[1, 2]", '{"theme": 3}', '{"theme": ""}'):
        path.write_text(content)
        assert settings.load_theme() is None
    settings.save_theme("gruvbox")
    assert settings.load_theme() == "gruvbox"
