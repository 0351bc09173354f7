"""Every command's --help read at 80 columns: no line wider, no text cut, flags as flags."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from planner.cli import app

runner = CliRunner()
WIDTH = 80
BOX = "│╭╮╰╯─"


def _commands(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(path, command) of the app, every group and every subcommand (bench psplib, export tjp, ...)."""
    out = [(path, cmd)]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        out += _commands(sub, (*path, name))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_every_command_is_checked() -> None:
    """Tests that the walk sees the new commands and the subcommands of groups."""
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"plan", "replan", "repair", "bench psplib", "export tjp"} <= paths


def _tokens(text: str) -> list[str]:
    return text.translate({ord(c): " " for c in BOX}).split()


def _in_order(words: list[str], tokens: list[str]) -> bool:
    """True when ``words`` occur in ``tokens`` in this order (other columns may come in between)."""
    it = iter(tokens)
    return all(any(w == t for t in it) for w in words)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "planner")
def test_help_reads_well_at_80_columns(path: tuple[str, ...]) -> None:
    """Tests that --help fits 80 columns, cuts no help text, and shows booleans as flags."""
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) > 3
    for line in lines:
        assert len(line) <= WIDTH, f"wider than {WIDTH}: {line!r}"
        assert "…" not in line, f"text cut: {line!r}"
        assert not re.search(r"<bool>|BOOLEAN", line), f"a flag shown with a value: {line!r}"
    tokens = _tokens(result.output)
    command = dict(COMMANDS)[path]
    for param in command.params:
        if param.hidden:
            continue
        if not getattr(param, "help", None):
            continue
        words = param.help.split()
        # Every word of the help, unbroken and in order: nothing folded, cut or eaten as markup.
        assert _in_order(words, tokens), f"{param.name}: help {param.help!r} not shown whole"
        if getattr(param, "is_bool_flag", False):
            row = next(line for line in lines if param.opts[0] in line)
            assert "<" not in row and "[default: False]" not in row, row


def test_bench_suite_has_its_own_name(tmp_path: Any) -> None:
    """Tests that bench psplib takes --suite, still reads the old --set with a note, and needs one of them."""
    shown = runner.invoke(app, ["bench", "psplib", "--help"], env={"COLUMNS": "200"})
    assert "--suite" in shown.output and "--set" not in shown.output  # --set is the what-if edit elsewhere
    args = ["bench", "psplib", "--out", str(tmp_path), "--root", str(tmp_path / "none")]
    new = runner.invoke(app, [*args, "--suite", "j30"])
    old = runner.invoke(app, [*args, "--set", "j30"])
    assert new.exit_code == old.exit_code == 2 and "not found" in new.output and "not found" in old.output  # no folder: usage
    assert "deprecated" in old.output and "deprecated" not in new.output
    assert runner.invoke(app, args).exit_code == 2
    assert runner.invoke(app, [*args, "--suite", "j30", "--set", "j60"]).exit_code == 2


def test_help_piped_into_head_ends_with_the_sigpipe_code() -> None:
    """Tests 'planner --help | head -1': 141, as the commands' own output piped into head (rich ended the
    closed pipe with exit 1, the code of bad input); a bad file with its output thrown away stays 1."""
    proc = subprocess.Popen([sys.executable, "-m", "planner", "--help"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "80"})
    assert proc.stdout is not None
    proc.stdout.close()  # closed before the help is written: every write meets a closed pipe
    assert proc.wait(timeout=60) == 141
    bad = Path(__file__).parents[1] / "data" / "invalid" / "unknown_role.yaml"
    code = subprocess.run([sys.executable, "-m", "planner", "validate", str(bad)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=60, check=False).returncode
    assert code == 1
