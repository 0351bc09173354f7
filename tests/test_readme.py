"""The README cannot drift: every sample output marked ``<!-- readme-check: COMMAND -->`` is what
COMMAND prints (each shown line, '...' lines aside, appears in the output, in order)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MARKED = re.findall(r"<!-- readme-check: (.+?) -->\n```[a-z]*\n(.*?)\n```", README, flags=re.S)


def test_the_readme_has_checked_samples() -> None:
    """Tests that the quick start's sample is among the checked ones."""
    assert any(cmd.startswith("planner plan scenarios/challenge-2021.yaml") for cmd, _ in MARKED)
    quick = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "planner plan scenarios/challenge-2021.yaml --out out/challenge-2021 --deterministic" in quick


@pytest.mark.parametrize(("command", "sample"), MARKED, ids=[c.split(" --")[0] for c, _ in MARKED])
def test_sample_output_is_what_the_command_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str,
                                                  sample: str) -> None:
    """Tests one marked sample: run the command (from the repository root), then find each shown line."""
    argv = shlex.split(command.replace("{out}", str(tmp_path / "out")))
    assert argv[0] == "planner"
    monkeypatch.chdir(ROOT)
    res = CliRunner().invoke(app, argv[1:])
    printed = [line.rstrip() for line in res.output.splitlines()]
    at = 0
    for line in sample.splitlines():
        if line.strip() == "..." or not line.strip():
            continue
        found = next((k for k in range(at, len(printed)) if printed[k] == line.rstrip()), None)
        assert found is not None, f"README line not printed by '{command}':\n{line}\n--- printed ---\n{res.output}"
        at = found + 1
