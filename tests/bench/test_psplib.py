"""PSPLIB benchmark runner on the planner's engine (skips without the shared data)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from planner.bench.bounds import cpm_lower_bound, load_references
from planner.bench.checker import check_rcpsp
from planner.bench.hybrid import Hybrid, solve_instance
from planner.bench.instance import (
    BenchInputError,
    RcpspInstance,
    default_root,
    list_instances,
    makespan_of,
    natural_key,
    parse,
    schedule_starts,
    set_folder,
    to_problem,
)
from planner.bench.runner import run_benchmark, run_instance
from planner.bench.sgs import left_justify, reversed_instance, serial_sgs, unreverse
from planner.bench.temporal import lag_proof, time_lag_distances
from planner.cli.bench import bench_app
from planner.data.result import SolveStatus
from planner.solve.budget import Budget
from planner.solve.run import SolveParams, first_answer

ROOT = default_root()
REQUIRED = [
    "instance", "makespan", "status", "seconds", "best_known", "lower_bound",
    "gap_pct", "cpm_lb", "verified", "sgs_makespan", "sgs_gap_pct",
]  # fmt: skip

pytestmark = pytest.mark.skipif(not (ROOT / "j30").is_dir(), reason=f"PSPLIB data not found at {ROOT}")


def _reference_rows(set_name: str) -> dict[str, dict[str, str]]:
    with (ROOT / "solutions" / "reference_bounds.csv").open(newline="") as fh:
        return {r["instance"]: r for r in csv.DictReader(fh) if r["set"] == set_name}


def test_parse_j301_1_matches_file() -> None:
    inst = parse(ROOT / "j30" / "j301_1.sm")
    assert inst.n == 32 and inst.activities[0] == 1 and inst.activities[-1] == 32
    assert inst.horizon == 158
    assert inst.capacities == (12, 13, 4, 12)
    assert inst.durations[:4] == (0, 8, 4, 6)
    assert inst.demands[2] == (10, 0, 0, 0)  # job 3
    assert [inst.activities[j] for j, _ in inst.successors[0]] == [2, 3, 4]
    assert inst.successors[1] == ((5, 8), (10, 8), (14, 8))  # job 2 -> 6, 11, 15 after its 8 units
    assert inst.successors[-1] == ()


def test_parse_rcpsp_max_keeps_negative_lags() -> None:
    inst = parse(ROOT / "rcpsp-max" / "sm_j10" / "PSP1.SCH")
    assert inst.kind == "rcpsp_max" and inst.n == 12 and inst.activities[0] == 0
    assert inst.capacities == (5, 5, 5, 5, 5)
    assert inst.successors[8] == ((1, -22), (2, -34), (11, 2))
    assert inst.durations[2] == 10 and inst.demands[2] == (1, 0, 3, 0, 0)


def test_natural_order_and_set_errors() -> None:
    names = [p.name for p in list_instances(ROOT / "j30")]
    assert names[:3] == ["j301_1.sm", "j301_2.sm", "j301_3.sm"] and names[9] == "j301_10.sm"
    assert names.index("j309_10.sm") < names.index("j3010_1.sm")
    assert sorted(["PSP10", "PSP2"], key=natural_key) == ["PSP2", "PSP10"]
    for bad in ("j31", "rcpsp-max", "rcpsp-max/nope", "rcpsp-max/../j30"):
        with pytest.raises(BenchInputError):
            set_folder(ROOT, bad)


@pytest.mark.parametrize(
    ("set_name", "names"), [("j30", ["j301_1.sm", "j3048_10.sm"]), ("j120", ["j1201_1.sm"])]
)
def test_cpm_bound_equals_reference(set_name: str, names: list[str]) -> None:
    ref = _reference_rows(set_name)
    for name in names:
        assert cpm_lower_bound(parse(ROOT / set_name / name)) == int(ref[name]["cpm_lb"])


def test_sgs_schedule_is_valid_and_not_below_optimum() -> None:
    ref = _reference_rows("j30")
    for name in ("j301_1.sm", "j3013_5.sm", "j3045_2.sm"):
        inst = parse(ROOT / "j30" / name)
        starts = serial_sgs(inst)
        assert starts is not None and check_rcpsp(inst, starts) == []
        assert makespan_of(inst, starts) >= int(ref[name]["best_ub"])


def test_check_rcpsp_catches_violations() -> None:
    inst = parse(ROOT / "j30" / "j301_1.sm")
    starts = serial_sgs(inst)
    assert starts is not None
    early = list(starts)
    early[5] = 0  # job 6 before its predecessor job 2 ends
    assert any("lag 2->6" in m for m in check_rcpsp(inst, early))
    crowd = [0 if inst.demands[i][0] else s for i, s in enumerate(starts)]
    assert any("resource R1" in m for m in check_rcpsp(inst, crowd))


def test_planner_verifier_agrees_on_max_lags() -> None:
    verify = pytest.importorskip("planner.verify.checks")
    from planner.data.result import Schedule, ScheduledSession

    inst = parse(ROOT / "rcpsp-max" / "sm_j10" / "PSP1.SCH")
    starts = serial_sgs(inst)
    assert starts is not None and check_rcpsp(inst, starts) == []
    data = to_problem(inst)

    def schedule(st: list[int]) -> Schedule:
        return Schedule(tuple(ScheduledSession(j, 0, s, s + inst.durations[j]) for j, s in enumerate(st)))

    assert verify.verify_schedule(data, schedule(starts)) == []
    late = list(starts)
    late[8] = starts[1] + 23  # maximum lag: activity 8 at most 22 after activity 1
    assert any("lag 8->1" in m for m in check_rcpsp(inst, late))
    assert verify.verify_schedule(data, schedule(late)) != []


def test_ten_j30_solved_to_reference_optimum(tmp_path: Path) -> None:
    df = run_benchmark(ROOT, "j30", 10, 2.0, tmp_path)
    ref = load_references(ROOT, "j30")
    assert len(df) == 10
    for row in df.to_dict("records"):
        r = ref[f"{row['instance']}.sm"]
        assert r.best_ub is not None
        assert row["rcpsp_check"]
        assert row["verified"]  # planner.verify.checks and check_rcpsp both pass
        if r.closed:
            assert row["status"] == "OPTIMAL" and row["makespan"] == r.best_ub
        assert int(row["sgs_makespan"]) >= r.best_ub


def test_rcpsp_max_feasible_and_infeasible() -> None:
    folder = ROOT / "rcpsp-max" / "sm_j10"
    ref = load_references(ROOT, "rcpsp-max/sm_j10")
    assert ref["psp1.sch"].best_ub == 26 and ref["psp2.sch"].infeasible
    inst = parse(folder / "PSP1.SCH")
    _, res = solve_instance(inst, 5.0)
    assert res.status == SolveStatus.OPTIMAL and res.schedule is not None
    starts = schedule_starts(inst, res.schedule)
    assert check_rcpsp(inst, starts) == [] and makespan_of(inst, starts) == 26
    _, res = solve_instance(parse(folder / "PSP2.SCH"), 5.0)
    assert res.status == SolveStatus.INFEASIBLE and res.schedule is None
    row = run_instance(folder / "PSP2.SCH", ref["psp2.sch"], 5.0)
    assert row["status"] == "INFEASIBLE" and str(row["proof"]).startswith("time lags: ")
    # The two-direction search alone, as used when CP-SAT's minimisation has no schedule yet:
    # PSP1 gets a valid schedule (left-justified), PSP2 a proof.
    for name, expected in (("PSP1.SCH", SolveStatus.FEASIBLE), ("PSP2.SCH", SolveStatus.INFEASIBLE)):
        inst = parse(folder / name)
        hybrid = Hybrid(inst, None, Budget(10.0))
        assert hybrid.first_schedule(10.0) == expected, name
        if expected == SolveStatus.FEASIBLE:
            assert check_rcpsp(inst, hybrid.best) == [] and hybrid.ub == makespan_of(inst, hybrid.best) >= 26


def test_left_justify_moves_blocks_and_dummies() -> None:
    """Tests left-justification on a hand-made RCPSP/max instance: source 0, A (2 long)
    and B (3 long) on one unit of capacity, sink; B -> A with lag -2 (A starts at most
    2 before B). From A at 10, B at 12, sink at 40: neither A nor B can move alone (A is
    held by B's maximum lag, B by A's use of the resource), the pair shifts by 10 to A 0,
    B 2, and the sink drops to B's end, 5."""
    inst = RcpspInstance(
        name="tiny", kind="rcpsp_max", activities=(0, 1, 2, 3), durations=(0, 2, 3, 0),
        demands=((0,), (1,), (1,), (0,)), capacities=(1,),
        successors=(((1, 0), (2, 0)), ((3, 2),), ((3, 3), (1, -2)), ()),
    )
    assert check_rcpsp(inst, [0, 10, 12, 40]) == []
    assert left_justify(inst, [0, 10, 12, 40]) == [0, 0, 2, 5]


def _tied_pair(back_lag: int) -> RcpspInstance:
    """Source 0, A and B (4 long, 2 units each of a capacity of 3), sink 3; B starts at
    least 1 after A (lag 1) and at most ``-back_lag`` after A (arc B -> A, ``back_lag``)."""
    return RcpspInstance(
        name="tied", kind="rcpsp_max", activities=(0, 1, 2, 3), durations=(0, 4, 4, 0),
        demands=((0,), (2,), (2,), (0,)), capacities=(3,),
        successors=(((1, 0), (2, 0)), ((2, 1), (3, 4)), ((1, back_lag), (3, 4)), ()),
    )


def test_lag_proof_on_tied_activities() -> None:
    """Tests the temporal proof. With B -> A lag -2, start(B) - start(A) lies in [1, 2]:
    B cannot follow A (it would need an offset of at least 4) nor precede it (at most
    -4), and 2 + 2 units exceed the capacity 3, so they cannot overlap either:
    INFEASIBLE without search. With lag -4 the offset may be 4: B right after A is
    forced, no proof, and the optimum is A at 0, B at 4, makespan 8."""
    tight = _tied_pair(-2)
    dist = time_lag_distances(tight)
    assert (dist[1, 2], -dist[2, 1]) == (1, 2)
    proof = lag_proof(tight)
    assert proof is not None and "activities 1 and 2 can neither overlap" in proof
    _, res = solve_instance(tight, 5)
    assert res.status == SolveStatus.INFEASIBLE and res.phases[0].phase == "lags"
    loose = _tied_pair(-4)
    assert lag_proof(loose) is None
    _, res = solve_instance(loose, 5)
    assert res.status == SolveStatus.OPTIMAL and res.objective == 8


def test_lag_proof_never_on_a_feasible_instance() -> None:
    """Tests the proof against the reference: on the first 40 instances of sm_j10 it
    appears exactly for those listed `unsat` (on all eight RCPSP/max sets: 329 of the
    330 `unsat`, never a feasible one; benchmarks/README.md)."""
    folder = set_folder(ROOT, "rcpsp-max/sm_j10")
    refs = load_references(ROOT, "rcpsp-max/sm_j10")
    for path in list_instances(folder)[:40]:
        assert (lag_proof(parse(path)) is not None) == refs[path.name.lower()].infeasible, path.name


def test_cli_writes_results(tmp_path: Path) -> None:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    runner = CliRunner()
    out = tmp_path / "run"
    args = ["bench", "psplib", "--suite", "j30", "--instances", "3", "--time-limit", "2", "--out", str(out)]
    result = runner.invoke(app, [*args, "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "j301_3" in result.output and "optimal 3" in result.output
    df = pd.read_csv(out / "results.csv")
    assert set(REQUIRED) <= set(df.columns) and len(df) == 3
    sched = pd.read_csv(out / "schedules" / "j301_1.csv")
    assert list(sched.columns) == ["activity", "start"] and sched["activity"].tolist() == list(range(1, 33))

    bad = runner.invoke(app, ["bench", "psplib", "--suite", "j31", "--out", str(out), "--root", str(ROOT)])
    # An unknown set or a missing folder is an option naming nothing: a usage error, exit 2 (it was 1, the
    # code of a bad file, while a missing --suite was 2).
    assert bad.exit_code == 2 and "unknown set" in bad.output
    missing = runner.invoke(
        app, ["bench", "psplib", "--suite", "j30", "--out", str(out), "--root", "/no/such/dir"]
    )
    assert missing.exit_code == 2 and "not found" in missing.output


def test_cli_runs_a_folder_or_a_file_of_ones_own(tmp_path: Path) -> None:
    """--suite also names the user's own instances: a folder (its own optimum.csv, else the j-sets' bounds by
    file name) or one file; a path that is neither, or a file of another kind, is a usage error (exit 2)."""
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    runner = CliRunner()
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in ("j301_1.sm", "j301_2.sm"):
        (mine / name).write_bytes((ROOT / "j30" / name).read_bytes())
    out = tmp_path / "run"
    result = runner.invoke(app, ["bench", "psplib", "--suite", str(mine), "--time-limit", "2", "--out", str(out),
                                 "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out / "results.csv")
    # j301_1 and j301_2 are closed at 43 and 47 (reference_bounds.csv, set j30).
    assert df["instance"].tolist() == ["j301_1", "j301_2"] and df["best_known"].tolist() == [43, 47]
    one = runner.invoke(app, ["bench", "psplib", "--suite", str(mine / "j301_2.sm"), "--time-limit", "2",
                              "--out", str(out), "--root", str(tmp_path / "none")])
    assert one.exit_code == 0, one.output
    df = pd.read_csv(out / "results.csv")
    assert df["instance"].tolist() == ["j301_2"] and df["makespan"].tolist() == [47] and df["best_known"].isna().all()
    (mine / "notes.txt").write_text("x")
    for bad, words in ((mine / "notes.txt", "not an instance file"), (tmp_path / "nowhere", "unknown set")):
        res = runner.invoke(app, ["bench", "psplib", "--suite", str(bad), "--out", str(out), "--root", str(ROOT)])
        assert res.exit_code == 2 and words in res.output, res.output


def test_stride_samples_across_parameter_sets(tmp_path: Path) -> None:
    df = run_benchmark(ROOT, "j30", 3, 2.0, tmp_path, stride=10, deterministic=True)
    assert df["instance"].tolist() == ["j301_1", "j302_1", "j303_1"]
    assert (df["status"] == "OPTIMAL").all() and df["verified"].all()
    # --deterministic: results.csv has the same bytes on any machine; the wall seconds are in timings.csv.
    first = (tmp_path / "results.csv").read_bytes()
    run_benchmark(ROOT, "j30", 3, 2.0, tmp_path, stride=10, deterministic=True)
    assert (tmp_path / "results.csv").read_bytes() == first
    assert len(pd.read_csv(tmp_path / "timings.csv")) == 3


def test_hybrid_and_cpsat_alone_agree_on_easy_instances() -> None:
    # j301_1..3 are closed at 43, 47 and 47 (reference_bounds.csv); both engines must prove them,
    # and the hybrid's phases must show the GA start it hands to CP-SAT.
    for name, opt in (("j301_1", 43), ("j301_2", 47), ("j301_3", 47)):
        inst = parse(ROOT / "j30" / f"{name}.sm")
        for ga in (True, False):
            _, res = solve_instance(inst, 5.0, ga=ga)
            assert res.status == SolveStatus.OPTIMAL and res.objective == opt, (name, ga)
            assert res.schedule is not None
            starts = schedule_starts(inst, res.schedule)
            assert check_rcpsp(inst, starts) == [] and makespan_of(inst, starts) == opt
            assert (res.phases[0].phase == "ga") == ga


def test_deterministic_hybrid_repeats_exactly() -> None:
    # --deterministic budgets the GA in schedules and CP-SAT in work units: same input, same output.
    inst = parse(ROOT / "j30" / "j3013_1.sm")
    runs = [solve_instance(inst, 1.0, deterministic=True)[1] for _ in range(2)]
    assert runs[0].schedule is not None and runs[1].schedule is not None
    assert [(r.status, r.objective, r.bound) for r in runs] == [(runs[0].status, runs[0].objective, runs[0].bound)] * 2
    assert schedule_starts(inst, runs[0].schedule) == schedule_starts(inst, runs[1].schedule)


def test_reversed_instance_reads_schedules_backwards() -> None:
    """Tests the time reversal: arcs flip with the later activity's duration as lag,
    reversing twice gives the instance back, and a schedule of the reversal, read
    backwards, is a valid schedule of the original with the same makespan."""
    inst = parse(ROOT / "j30" / "j301_1.sm")
    rev = reversed_instance(inst)
    # j301_1: job 2 (duration 8) precedes job 6, so the reversal has 6 -> 2 after job 6's duration.
    six = inst.activities.index(6)
    assert (1, inst.durations[six]) in rev.successors[six]
    assert sorted(reversed_instance(rev).arcs()) == sorted(inst.arcs())
    starts = serial_sgs(rev)
    assert starts is not None and check_rcpsp(rev, starts) == []
    back = unreverse(inst, starts)
    assert check_rcpsp(inst, back) == []
    assert makespan_of(inst, back) == makespan_of(rev, starts) and min(back) == 0



def test_rcpsp_max_reversal_keeps_schedules_valid() -> None:
    """Tests the time reversal with maximum lags: an arc start[j] >= start[i] + lag becomes
    j -> i with lag + d_j - d_i, reversing twice gives the instance back, and a schedule of
    the reversal (one of makespan 26, PSP1's optimum in sm_j10's optimum.csv, found by the
    two-direction decision) read backwards is valid for the original with makespan <= 26."""
    inst = parse(ROOT / "rcpsp-max" / "sm_j10" / "PSP1.SCH")
    rev = reversed_instance(inst)
    d = inst.durations
    i, j, lag = next((i, j, lag) for i, j, lag in inst.arcs() if lag < 0)  # a maximum lag
    assert (i, lag + d[j] - d[i]) in rev.successors[j]
    assert sorted(reversed_instance(rev).arcs()) == sorted(inst.arcs())
    _, status, schedule = first_answer([to_problem(rev, horizon=26)], SolveParams(time_limit=10), earliest_first=True)
    assert status == SolveStatus.FEASIBLE and schedule is not None
    back = unreverse(inst, schedule_starts(rev, schedule))
    assert check_rcpsp(inst, back) == [] and makespan_of(inst, back) <= 26
    _, status, _ = first_answer([to_problem(rev, horizon=25)], SolveParams(time_limit=10), earliest_first=True)
    assert status == SolveStatus.INFEASIBLE  # the optimum is the same backwards


def test_first_answer_forward_and_reversed() -> None:
    """Tests the two-search decision on j301_1 (optimum 43, from the reference file):
    "makespan <= 42?" is proven INFEASIBLE, "makespan <= 43?" answered with a valid
    schedule of the problem that answered; under --deterministic the forward problem
    (first in order) answers when both can, and the answer repeats exactly."""
    inst = parse(ROOT / "j30" / "j301_1.sm")
    rev = reversed_instance(inst)
    params = SolveParams(time_limit=10)
    _, status, schedule = first_answer([to_problem(inst, horizon=42), to_problem(rev, horizon=42)], params)
    assert status == SolveStatus.INFEASIBLE and schedule is None
    which, status, schedule = first_answer([to_problem(inst, horizon=43), to_problem(rev, horizon=43)], params,
                                           earliest_first=True)
    assert status == SolveStatus.FEASIBLE and schedule is not None
    starts = schedule_starts((inst, rev)[which], schedule)
    if which == 1:
        starts = unreverse(inst, starts)
    assert check_rcpsp(inst, starts) == [] and makespan_of(inst, starts) <= 43
    det = SolveParams(time_limit=2, deterministic=True)
    runs = [first_answer([to_problem(inst, horizon=43), to_problem(rev, horizon=43)], det) for _ in range(2)]
    assert runs[0] == runs[1] and runs[0][0] == 0 and runs[0][1] == SolveStatus.FEASIBLE


def test_first_answer_tunings_are_per_search() -> None:
    """Tests that each search gets its own settings: the same decision ("j301_1 in 42?",
    INFEASIBLE, optimum 43) asked twice, the first search given no time at all, is
    not answered by the first, so under --deterministic (first answer in order wins)
    the second one answers."""
    inst = parse(ROOT / "j30" / "j301_1.sm")
    problem = to_problem(inst, horizon=42)
    det = SolveParams(time_limit=2, deterministic=True)
    starved: dict[str, object] = {"max_deterministic_time": 0.0}
    which, status, _ = first_answer([problem, problem], det, tunings=[starved, {}])
    assert (which, status) == (1, SolveStatus.INFEASIBLE)
    assert first_answer([problem], det, tunings=[starved])[1] == SolveStatus.UNKNOWN


def test_decisions_alone_descend_to_the_optimum() -> None:
    """Tests the tuned "makespan <= U-1?" decision (no LP, no derived disjunctions) on
    its own: from the serial SGS schedule of j301_1, repeated decisions must find
    shorter valid schedules until "<= 42?" is proven INFEASIBLE at the optimum 43
    (reference_bounds.csv), each step recorded as a phase."""
    from planner.bench.ga import ActivityListGA

    inst = parse(ROOT / "j30" / "j301_1.sm")
    sgs = serial_sgs(inst)
    assert sgs is not None
    hybrid = Hybrid(inst, ActivityListGA(inst), Budget(30.0))
    hybrid.ub, hybrid.best = makespan_of(inst, sgs), sgs
    assert hybrid.ub > 43  # the SGS schedule is not optimal here, so at least one FEASIBLE step
    while hybrid.lb < hybrid.ub and hybrid.decide(hybrid.left()):
        assert check_rcpsp(inst, hybrid.best) == [] and makespan_of(inst, hybrid.best) == hybrid.ub
    assert (hybrid.lb, hybrid.ub) == (43, 43)
    steps = [p.status for p in hybrid.phases if p.phase == "decide"]
    assert steps[-1] == "INFEASIBLE" and set(steps[:-1]) == {"FEASIBLE"} and len(steps) >= 2


def _corrupt(tmp_path: Path, edit: str) -> Path:
    """A copy of j301_1 and j301_2 under tmp_path/j30, with j301_2 edited by ``edit``."""
    folder = tmp_path / "root" / "j30"
    folder.mkdir(parents=True)
    (folder / "j301_1.sm").write_text((ROOT / "j30" / "j301_1.sm").read_text())
    text = (ROOT / "j30" / "j301_2.sm").read_text()
    lines = text.splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("PRECEDENCE RELATIONS:")) + 2  # activity 1's row
    if edit == "cut-successors":
        lines[k] = " ".join(lines[k].split()[:4])  # announces 3 successors, lists 1
    elif edit == "cycle":
        # activity 1 -> 2 -> ... and now 2 also precedes 1
        row = lines[k + 1].split()
        lines[k + 1] = " ".join([*row[:2], str(int(row[2]) + 1), *row[3:], "1"])
    (folder / "j301_2.sm").write_text("\n".join(lines) + "\n")
    return tmp_path / "root"


@pytest.mark.parametrize(("edit", "message"), [("cut-successors", "announces 3 successors and lists 1"),
                                               ("cycle", "contain a cycle")])
def test_a_corrupt_file_is_an_error_row_and_the_run_goes_on(tmp_path: Path, edit: str, message: str) -> None:
    """Tests that a malformed instance is named in an ERROR row (exit 1) while the others are
    solved, instead of being solved wrongly (cut rows: OPTIMAL below the optimum) or crashing."""
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    out = tmp_path / "run"
    (out / "schedules").mkdir(parents=True)
    (out / "schedules" / "stale.csv").write_text("activity,start\n")
    result = CliRunner().invoke(app, ["bench", "psplib", "--suite", "j30", "--time-limit", "2", "--out", str(out),
                                      "--root", str(_corrupt(tmp_path, edit)), "--deterministic"])
    assert result.exit_code == 1, result.output
    assert message in result.output and "j301_2.sm" in result.output
    df = pd.read_csv(out / "results.csv")
    assert df["status"].tolist() == ["OPTIMAL", "ERROR"]
    assert sorted(p.name for p in (out / "schedules").iterdir()) == ["j301_1.csv"]  # the stale one is gone
    assert "makespan,seconds" in (out / "results.csv").read_text().splitlines()[0]
    assert ",43," in (out / "results.csv").read_text().splitlines()[1]  # whole numbers stay whole


@pytest.mark.parametrize(("edit", "says"), [
    (lambda text: "", "the file is empty"),
    (lambda text: text.replace("jobs (incl. supersource/sink ):  32", "jobs (incl. supersource/sink ):  xx"),
     "field 'jobs (incl. supersource/sink' not found"),
    (lambda text: text.replace("\n   1        1          3           2   3   4", "\n   1        1          3           2   3  99"),
     "activity 99 is listed as a successor but the file has no such activity"),
    (lambda text: text.replace("\n   2        1          3", "\n   2        1          x"),
     "a whole number was expected, found 'x'"),
])
def test_a_malformed_instance_file_says_what_is_wrong(tmp_path: Path, edit: object, says: str) -> None:
    """Tests the words of a broken .sm file (they were Python's: KeyError(99), IndexError(...))."""
    path = tmp_path / "j301_1.sm"
    path.write_text(edit((ROOT / "j30" / "j301_1.sm").read_text()), encoding="latin-1")  # type: ignore[operator]
    with pytest.raises(BenchInputError, match=re.escape(f"j301_1.sm: {says}")):
        parse(path)
