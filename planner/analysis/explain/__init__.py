"""Why is a participant not ready for a competency, and what would fix it?

Everything here works on *scenario facts*: statements of the YAML file
("the window opens on 2021-08-05", "the centrifuge takes one trainee at a
time", "parabolic needs vestibular first"), each with a relaxation written as
an edit of the plain scenario data. No explanation code lives in the model:
a question "can goal g be met with these facts relaxed?" is answered by
editing the scenario, compiling it as usual and calling
:func:`planner.solve.feasibility.can_meet_goals` (one goal, or several
when several goals compete).

For each unmet goal, a deletion filter over the facts (keeping the most
actionable ones where it can) finds an irreducible conflicting set: with
those facts enforced and every other fact relaxed the goal is proven
unachievable, and relaxing any one of them as well makes it achievable. A probe that hits its time limit counts as "not
proven infeasible"; the set is then still a conflict but is marked as not
proven minimal. Fixes are single changes of a conflicting fact (the fewest
extra window days, the fewest extra capacity units, a waiver, ...) or of the
calendar (working Saturdays or public holidays before the deadline); physical
facts (seasons, gates) only through a lever of the scenario's ``repairs:``
section. Real fixes come cheapest first, waivers after them. Each is
first checked on the goal and then verified on the whole scenario: one
plan that meets the goal and keeps every pair that was ready (both
verifiers check it).

Each probe runs on a *focused* copy of the scenario: only the participants,
modules (with their prerequisite closure) and competencies of the goals in
question. Every other job is optional in the model, so dropping it changes
neither feasibility nor infeasibility of those goals, and the probes stay
small.

The kinds of facts are those the constraint families declare
(``Family.explains``); :mod:`.kinds` maps each kind to its facts and fixes.
Modules: :mod:`.types` (facts, fixes, results), :mod:`.scope` (the scenario
around a goal), :mod:`.edits`, :mod:`.facts`, :mod:`.fixes`, :mod:`.kinds`,
:mod:`.probes` (cached feasibility questions, deletion filter),
:mod:`.conflicts` (one goal), :mod:`.run` (the whole run and its budget),
:mod:`.text` (terminal text; explain.csv is :mod:`planner.report.explain`).
"""

from planner.analysis.explain.kinds import KINDS, fixes_for, scenario_facts
from planner.analysis.explain.probes import canonical, deletion_filter
from planner.analysis.explain.run import explain
from planner.analysis.explain.scope import closure, focus
from planner.analysis.explain.text import format_explanation
from planner.analysis.explain.types import (
    Explanation,
    Fact,
    Fix,
    GoalExplanation,
    GoalKey,
    Verification,
    ex_verified,
)

__all__ = [
    "KINDS",
    "Explanation",
    "Fact",
    "Fix",
    "GoalExplanation",
    "GoalKey",
    "Verification",
    "canonical",
    "closure",
    "deletion_filter",
    "ex_verified",
    "explain",
    "fixes_for",
    "focus",
    "format_explanation",
    "scenario_facts",
]
