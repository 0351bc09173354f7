"""``planner bench psplib`` at its edge: numba is optional (the bench extra); without it
the GA runs as plain Python and the command says once how to install it. Runs on a
hand-written instance, so it needs no PSPLIB data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from planner.bench import ga as ga_mod
from planner.cli.bench import bench_app

# Source 1, activities 2 (2 long) and 3 (3 long) both needing the one unit of R1, activity 4
# (1 long, no resource), sink 5: 2 and 3 run one after the other, so the optimum is 2 + 3 = 5
# (the critical path alone says 3).
TINY_SM = """\
jobs (incl. supersource/sink ):  5
horizon                       :  6
RESOURCES
  - renewable                 :  1   R
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          3           2   3   4
   2        1          1           5
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     2       1
  3      1     3       1
  4      1     1       0
  5      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    1
************************************************************************
"""
NOTE = "note: numba is not installed"


def _root(tmp_path: Path) -> Path:
    folder = tmp_path / "psplib" / "j30"
    folder.mkdir(parents=True)
    (folder / "tiny1.sm").write_text(TINY_SM)
    return tmp_path / "psplib"


def _invoke(root: Path, out: Path, *extra: str) -> tuple[int, str]:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    args = ["bench", "psplib", "--suite", "j30", "--time-limit", "2", "--deterministic", "--root", str(root),
            "--out", str(out), *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(("installed", "extra", "notes"), [(False, (), 1), (True, (), 0), (False, ("--no-ga",), 0)])
def test_one_install_note_when_the_ga_runs_without_numba(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: bool, extra: tuple[str, ...], notes: int
) -> None:
    monkeypatch.setattr(ga_mod, "NUMBA_INSTALLED", installed)
    code, output = _invoke(_root(tmp_path), tmp_path / "out", *extra)
    assert code == 0, output
    assert output.count(NOTE) == notes and output.count(ga_mod.INSTALL_HINT) == notes
    assert "optimal 1" in output and "makespan=    5" in output


def test_runs_with_numba_unimportable(tmp_path: Path) -> None:
    # A fresh interpreter in which ``import numba`` fails, as in an install without the extra:
    # the command prints the note, the GA runs as plain Python, the answer is the optimum 5.
    root = _root(tmp_path)
    code = ("import sys; sys.modules['numba'] = None; from planner.__main__ import main; "
            f"sys.argv = ['planner', 'bench', 'psplib', '--suite', 'j30', '--time-limit', '2', '--deterministic', "
            f"'--root', {str(root)!r}, '--out', {str(tmp_path / 'out')!r}]; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count(NOTE) == 1 and ga_mod.INSTALL_HINT in proc.stderr
    row = pd.read_csv(tmp_path / "out" / "results.csv").iloc[0]
    assert (row["status"], row["makespan"], bool(row["verified"])) == ("OPTIMAL", 5, True)
