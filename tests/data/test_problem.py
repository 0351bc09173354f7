"""build_problem, restrict and participant_part on one small hand-checked crew.

The scenario (BASE's calendar: Mon 4 Mar .. Mon 15 Apr 2024, 4 one-hour slots a day):

* crew c1 = ann (sfp) and bob (cmdr); crew c2 = cat (sfp, already holds 'safety');
* modules: theory (2 x 1 h, classroom seats), simrun (joint crew, 1 x 2 h, classroom
  seats and the one simulator), cfg (3 x 1 h, 1 day apart, 48 h spacing to itself),
  pilot (cmdr only);
* safety = theory + any_of(simrun, cfg, pilot); flying = pilot, by the exams gate (1 Apr).

Jobs, in module order and then participant (or crew) order:
  0 ann/theory  1 bob/theory  2 cat/theory  3 c1/simrun  4 c2/simrun
  5 ann/cfg     6 bob/cfg     7 cat/cfg     8 bob/pilot
Goals, in participant order and then the role's order (held ones skipped):
  0 ann/safety  1 ann/flying  2 bob/safety  3 bob/flying  4 cat/flying
"""

from __future__ import annotations

import dataclasses

import pytest

from planner.calendar.grid import build_grid
from planner.data.problem import Goal, Precedence, ProblemData, SpacingRule, build_problem, participant_part, restrict
from planner.scenario.load import load_scenario
from tests.helpers import scenario, write

CREW = scenario(
    gates=[{"id": "exams", "date": "2024-04-01"}],
    roles=[{"id": "sfp", "requires": ["safety", "flying"]}, {"id": "cmdr", "requires": ["safety", "flying"]}],
    participants=[
        {"id": "ann", "role": "sfp", "crew": "c1", "load": {"max_hours_per_day": 2.5, "max_hours_per_week": 10}},
        {"id": "bob", "role": "cmdr", "crew": "c1"},
        {"id": "cat", "role": "sfp", "crew": "c2", "holds": ["safety"]},
    ],
    resources=[{"id": "classroom", "capacity": 6, "unit": "participants"}, {"id": "sim"}],
    modules=[
        {"id": "theory", "hours": 2, "session_hours": 1, "resources": ["classroom"]},
        {"id": "simrun", "hours": 2, "session_hours": 2, "joint": "crew", "resources": ["classroom", "sim"],
         "prerequisites": ["theory"]},
        {"id": "cfg", "sessions": 3, "session_hours": 1, "min_days_between_sessions": 1,
         "prerequisites": [{"module": "theory", "min_lag_days": 1}]},
        {"id": "pilot", "hours": 1, "session_hours": 1, "roles": ["cmdr"]},
    ],
    competencies=[
        {"id": "safety", "requires": ["theory", {"any_of": ["simrun", "cfg", "pilot"]}]},
        {"id": "flying", "requires": ["pilot"], "deadline": "exams"},
    ],
    spacing=[{"after": "cfg", "forbid": "cfg", "hours": 48}, {"after": "cfg", "forbid": "theory", "hours": 20}],
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ProblemData:
    """The problem data of CREW."""
    sc = load_scenario(write(tmp_path_factory.mktemp("crew"), CREW)).scenario
    return build_problem(sc, build_grid(sc))


def test_jobs_per_participant_and_joint_crew_jobs(data: ProblemData) -> None:
    """Tests that a module is one job per taker, a joint module one job per crew, and role-limited modules only for the role."""
    assert [j.id for j in data.jobs] == [
        "ann/theory", "bob/theory", "cat/theory", "c1/simrun", "c2/simrun", "ann/cfg", "bob/cfg", "cat/cfg",
        "bob/pilot",
    ]
    assert data.jobs[3].participants == (0, 1) and data.jobs[4].participants == (2,)
    assert data.job_of("c1/simrun") == 3
    # theory: 2 h in 1-h sessions of 1 slot; simrun: one 2-h session of 2 slots.
    assert (data.jobs[0].num_sessions, data.jobs[0].length) == (2, 1)
    assert (data.jobs[3].num_sessions, data.jobs[3].length) == (1, 2)
    # Every job's open days are the grid's: nobody has a blackout, no resource an outage;
    # 6 weeks x 5 working days, less Mon 1 Apr (the exams gate day) = 29.
    assert all(j.open_days == data.jobs[0].open_days for j in data.jobs)
    assert sum(data.jobs[0].open_days) == 29 and data.num_days == 42


def test_participant_seat_demand_defaults_to_attendees(data: ProblemData) -> None:
    """Tests that a 'participants' resource counts one seat per attendee and a 'sessions' resource one unit."""
    classroom, sim = 0, 1
    assert data.jobs[0].resources == ((classroom, 1),)  # ann alone
    assert data.jobs[3].resources == ((classroom, 2), (sim, 1))  # ann and bob together; one simulator
    assert data.jobs[4].resources == ((classroom, 1), (sim, 1))  # cat is crew c2 alone
    assert [r.capacity for r in data.resources] == [6, 1]


def test_spacing_to_itself_is_a_minimum_gap(data: ProblemData) -> None:
    """Tests that spacing from a module to itself becomes min_gap_days and other spacing becomes rules."""
    # 48 h after a cfg session, no cfg: ceil(48 / 24) + 1 = 3 days between session days,
    # larger than the module's own min_days_between_sessions of 1.
    assert [data.jobs[j].min_gap_days for j in (5, 6, 7)] == [3, 3, 3]
    assert data.jobs[0].min_gap_days == 0
    # cfg -> theory, 20 h: ceil(20 / 24) = 1 quiet day, one rule per participant taking both.
    assert data.spacing == (SpacingRule(0, 5, 0, 1), SpacingRule(1, 6, 1, 1), SpacingRule(2, 7, 2, 1))


def test_precedences_and_load_caps(data: ProblemData) -> None:
    """Tests prerequisites per participant (a crew job after each member's own) and caps in whole slots."""
    assert set(data.precedences) == {
        Precedence(0, 3, "es", 0, None, 0, None), Precedence(1, 3, "es", 0, None, 0, None),  # c1/simrun
        Precedence(2, 4, "es", 0, None, 0, None),  # c2/simrun after cat/theory
        Precedence(0, 5, "es", 0, None, 1, None), Precedence(1, 6, "es", 0, None, 1, None),
        Precedence(2, 7, "es", 0, None, 1, None),  # cfg a day after theory
    }
    # 2.5 h a day rounds down to 2 one-hour slots (a cap is a limit); 10 h a week is 10 slots.
    assert (data.participants[0].daily_cap, data.participants[0].weekly_cap) == (2, 10)
    assert data.participants[1].daily_cap is None


def test_goals_with_any_of_groups_and_missing_modules(data: ProblemData) -> None:
    """Tests goals per participant and required competency: any_of groups, missing modules, held and gated ones."""
    assert data.goals == (
        # safety: theory, then any of simrun (the crew job), cfg (pilot is not ann's); no deadline: day 42.
        Goal(0, "safety", ((0,), (3, 5)), 42, ()),
        # flying needs pilot, which sfps do not take: an empty group, named as missing; exams on day 28 (1 Apr).
        Goal(0, "flying", ((),), 28, ("pilot",)),
        Goal(1, "safety", ((1,), (3, 6, 8)), 42, ()),
        Goal(1, "flying", ((8,),), 28, ()),
        Goal(2, "flying", ((),), 28, ("pilot",)),  # cat holds safety: no goal for it
    )


def test_participant_part_keeps_their_jobs_and_goals(data: ProblemData) -> None:
    """Tests that ann's part keeps exactly her jobs (with the crew job), her goals, and the rules among them."""
    part = participant_part(data, 0)
    # Kept jobs 0, 3, 5 are renumbered 0, 1, 2.
    assert [j.id for j in part.jobs] == ["ann/theory", "c1/simrun", "ann/cfg"]
    assert part.jobs[1].participants == (0, 1)  # bob stays in the joint session
    assert part.goals == (Goal(0, "safety", ((0,), (1, 2)), 42, ()), Goal(0, "flying", ((),), 28, ("pilot",)))
    # bob/theory -> c1/simrun goes with bob/theory; ann's two prerequisites stay.
    assert set(part.precedences) == {Precedence(0, 1, "es", 0, None, 0, None), Precedence(0, 2, "es", 0, None, 1, None)}
    assert part.spacing == (SpacingRule(0, 2, 0, 1),)
    assert part.job_index == {"ann/theory": 0, "c1/simrun": 1, "ann/cfg": 2}
    # Capacities and people are shared, so they all stay: a relaxation, not a new problem.
    assert part.participants == data.participants and part.resources == data.resources


def test_participant_part_of_a_one_person_crew(data: ProblemData) -> None:
    """Tests cat's part: her three jobs and her one (unmeetable) goal."""
    part = participant_part(data, 2)
    assert [j.id for j in part.jobs] == ["cat/theory", "c2/simrun", "cat/cfg"]
    assert part.goals == (Goal(2, "flying", ((),), 28, ("pilot",)),)


def test_restrict_maps_baseline_and_rejects_goals_without_their_jobs(data: ProblemData) -> None:
    """Tests that restrict renumbers the re-planning baseline, keeps the release day, and refuses a goal missing a job."""
    replanned = dataclasses.replace(data, baseline={(3, 0): 12, (1, 0): 4}, release_day=5)
    part = restrict(replanned, [5, 3, 0, 3], [0])  # order and duplicates do not matter
    assert [j.id for j in part.jobs] == ["ann/theory", "c1/simrun", "ann/cfg"]
    assert part.baseline == {(1, 0): 12}  # c1/simrun is job 1 now; bob/theory's entry is gone
    assert part.release_day == 5
    with pytest.raises(ValueError, match="goal 0 needs a job outside"):
        restrict(data, [0], [0])  # ann/safety also needs c1/simrun or ann/cfg
