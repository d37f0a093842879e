"""A plain (non-editable) install carries the seed list and opens it from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_IN_WHEEL = "dlreader/data/science-of-deep-learning.md"


def test_the_wheel_carries_the_seed_and_opens_it_from_any_directory(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("dlreader-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert (
            archive.read(SEED_IN_WHEEL)
            == (ROOT / "data" / "science-of-deep-learning.md").read_bytes()
        )
        archive.extractall(tmp_path / "site")

    # The unpacked wheel comes first on sys.path, ahead of the editable checkout; run from /
    # so nothing can be found relative to the working directory.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = (
        "import dlreader, dlreader.locations as l, json;"
        "print(json.dumps([dlreader.__file__, str(l.default_list_path())]))"
    )
    where = subprocess.run(
        [sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True, check=True
    )
    package_file, list_path = json.loads(where.stdout)
    assert package_file.startswith(str(tmp_path / "site"))
    assert list_path == str(tmp_path / "site" / SEED_IN_WHEEL)

    stats = subprocess.run(
        [sys.executable, "-m", "dlreader", "stats", "--format", "json"],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["topics"] == 37
