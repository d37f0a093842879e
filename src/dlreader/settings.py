"""The app's remembered preferences (the theme), in ``config_dir()/settings.json``.

Settings are a convenience: a missing or unreadable file means defaults, and a failed
write is reported to the caller, never fatal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dlreader import locations
from dlreader.fsutil import atomic_write, ensure_private_dir, read_regular_bytes

SETTINGS_NAME = "settings.json"


def settings_path() -> Path:
    return locations.config_dir() / SETTINGS_NAME


def load_settings() -> dict[str, Any]:
    """The saved settings, or ``{}`` when there are none or they cannot be read."""
    try:
        data = json.loads(read_regular_bytes(settings_path(), limit=1 << 20))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(settings: dict[str, Any]) -> Path:
    """Write the settings atomically (a temporary file renamed over the old one)."""
    path = settings_path()
    ensure_private_dir(path.parent)
    atomic_write(path, (json.dumps(settings, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path


def load_theme() -> str | None:
    theme = load_settings().get("theme")
    return theme if isinstance(theme, str) and theme else None


def save_theme(theme: str) -> Path:
    settings = load_settings()
    settings["theme"] = theme
    return save_settings(settings)
