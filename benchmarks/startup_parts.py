#!/usr/bin/env python3
"""Where dlreader's start-up goes beyond a bare Textual app: variants of the bare app,
each adding one part of dlreader's start, measured in turn with it through tmux.

    python benchmarks/startup_parts.py [--runs 7]

Rows (median seconds until the text is on screen, and the median ratio to the bare app
run just before): the bare app; it plus dlreader's imports; it plus Textual's Tree with
63 expanded nodes; it plus a line-API ScrollView showing the same 63 rows; dlreader on
the seed, warm (until the tree, until the first topic's links). The S1A row of run.py is
the last one; the others say what each part costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import SEED, Bench, app_env, dlreader_command, warm_cache  # noqa: E402
from terminal import TerminalSession  # noqa: E402

READY = "bare app ready"
BARE = '''\
from textual.app import App, ComposeResult
from textual.widgets import Label
{imports}

class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("bare app ready")
{extra}

if __name__ == "__main__":
    BareApp().run()
'''
ROWS = '''\
        rows = []
        for i in range(21):
            rows.append(f"Topic number {{i}} with a long title  3/10")
            rows.extend(f"    Sub {{i}}.{{j}}  1/4" for j in range(2))
'''
VARIANTS = {
    "bare Textual app (one label)": ("", ""),
    "+ dlreader's imports (cli, launch, app)": (
        "import dlreader.cli, dlreader.commands.launch, dlreader.app.app  # noqa", ""),
    "+ Textual's Tree, 63 nodes expanded": ("from textual.widgets import Tree", '''\
        tree: Tree[None] = Tree("root")
        tree.show_root = False
        for i in range(21):
            node = tree.root.add(f"Topic number {i} with a long title  3/10", expand=True)
            for j in range(2):
                node.add_leaf(f"Sub {i}.{j}  1/4")
        yield tree
'''),
    "+ a line-API ScrollView, the same 63 rows": ('''\
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

class Lines(ScrollView):
    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows
        self.virtual_size = Size(60, len(rows))

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        if index >= len(self.rows):
            return Strip.blank(self.size.width)
        return Strip([Segment(self.rows[index])]).extend_cell_length(self.size.width)
''', ROWS.format() + "        yield Lines(rows)\n"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dlreader-parts-") as work_dir:
        work = Path(work_dir)
        commands: dict[str, tuple[list[str], list[str], dict[str, str]]] = {}
        for name, (imports, extra) in VARIANTS.items():
            program = work / f"variant{len(commands)}.py"
            program.write_text(BARE.format(imports=imports, extra=extra), encoding="utf-8")
            commands[name] = ([sys.executable, str(program)], [READY], {})
        env = app_env(work / "data", warm_cache(Bench(args.runs, work), 1))
        commands["dlreader, seed, warm: tree | first links"] = (
            [*dlreader_command(), "--source", str(SEED), "--user", "bench"],
            ["Interpretability of Neural", "nthu-datalab"], env)
        samples: dict[str, list[list[float]]] = {name: [] for name in commands}
        for run in range(args.runs + 1):  # the first round warms the disk cache
            for name, (command, texts, variables) in commands.items():
                with TerminalSession(command, size=(160, 50), env=variables) as term:
                    times = [term.since_start_until_text(text) for text in texts]
                if run:
                    samples[name].append(times)
        bare = [times[0] for times in samples[next(iter(commands))]]
        for name, runs in samples.items():
            cells = []
            for column in range(len(runs[0])):
                values = [times[column] for times in runs]
                ratio = statistics.median(v / b for v, b in zip(values, bare, strict=True))
                cells.append(f"{statistics.median(values):.3f} s {ratio:.2f}x")
            print(f"{name:<44} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
