"""The family contract has teeth: every family declares keys, constraints, verifier checks and
an explanation (or a reason for none); every rule key of the scenario schema is claimed; the
explanation kinds and the families' kinds are the same set; shared Context fields are ordered."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import replace

import pytest
from pydantic import BaseModel

from planner.analysis.explain import KINDS
from planner.data.problem import Goal, Job, ParticipantData, ProblemData
from planner.model.builder import build_model
from planner.model.contract import Family, contract_problems, order_problems
from planner.model.families import CONTRACTS
from planner.scenario.schema import Scenario
from planner.verify import rules

# Scenario keys that carry no rule, so no family claims them.
NOT_RULES = {
    "name": "the scenario's name",
    "description": "free text",
    "variants": "named sets of edits applied before compiling; their keys are the scenario's own",
    "disruptions": "parameters of the stress study's random disruptions, not a rule of the plan",
    "repairs": "what 'planner repair' may change (planner.model.levers), not a rule of the plan",
    "objective": "the plan's secondary goal (planner.model.objective), not a rule of the plan",
}
# Last parts of a key that carry no rule wherever they appear.
NOT_RULE_LEAVES = {
    "id": "identifiers: what the rules refer to",
    "name": "display names",
    "reason": "why a date range is blocked: shown, never checked",
}
# Helpers of planner.verify.rules that are not the check of one rule.
VERIFY_HELPERS = {"load_profile", "goals_achieved", "session_day"}


def _models(annotation: object) -> list[type[BaseModel]]:
    """Pydantic models inside an annotation (through Optional, unions and tuples)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out += _models(arg)
    return out


def _is_list(annotation: object) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation))
    return origin in (tuple, list)


def schema_keys(model: type[BaseModel] = Scenario, prefix: str = "") -> dict[str, bool]:
    """Every key path of the schema (``modules.*.prerequisites.*.module``) -> whether it is a leaf."""
    out: dict[str, bool] = {}
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        inner = _models(info.annotation)
        out[key] = not inner
        for sub in inner:
            out |= schema_keys(sub, f"{key}.*." if _is_list(info.annotation) else f"{key}.")
    return out


def _covers(claim: str, key: str) -> bool:
    c, k = claim.split("."), key.split(".")
    return len(c) <= len(k) and all(a in ("*", b) for a, b in zip(c, k, strict=False))


def unclaimed_keys(families: Iterable[Family]) -> list[str]:
    """Rule keys of the schema that no family claims (and that are not on the allow-lists)."""
    claims = [k for f in families for k in f.keys]
    return [key for key, leaf in schema_keys().items()
            if leaf and key.split(".")[0] not in NOT_RULES and key.split(".")[-1] not in NOT_RULE_LEAVES
            and not any(_covers(c, key) for c in claims)]


def unknown_keys(families: Iterable[Family]) -> list[str]:
    """Keys families claim that are not in the schema (a typo claims nothing)."""
    known = schema_keys()
    return [f"{f.name}: {k}" for f in families for k in f.keys if k not in known]


def kind_problems(families: Sequence[Family], kinds: Iterable[str]) -> list[str]:
    """Kinds declared without facts and fixes, and kinds explain knows that no family declares."""
    declared = {k: f.name for f in families for k in f.explains}
    built = set(kinds)
    return ([f"{name}: kind {k!r} has no facts or fixes" for k, name in declared.items() if k not in built]
            + [f"kind {k!r} belongs to no family" for k in sorted(built - set(declared))])


# -- the registry conforms ---------------------------------------------------------------------


@pytest.mark.parametrize("family", CONTRACTS, ids=lambda f: f.name)
def test_family_declares_everything(family: Family) -> None:
    """Tests that each family declares keys, constraints, verifier checks and an explanation or a reason."""
    assert contract_problems(family) == []


def test_family_names_are_module_names() -> None:
    """Tests that a family's name is its module's (``build_model(skip=)`` uses it)."""
    assert [f.name for f in CONTRACTS] == [
        "windows", "calendars", "seasons", "recency", "precedence", "joint", "resources", "instructors",
        "spacing", "refreshers", "load", "competencies", "bounds", "stability"]


def test_every_rule_key_is_claimed_and_every_claim_exists() -> None:
    """Tests that every rule key of the schema belongs to a family, and no family claims a missing key."""
    assert unclaimed_keys(CONTRACTS) == []
    assert unknown_keys(CONTRACTS) == []


def test_explanation_kinds_match_families() -> None:
    """Tests that explain has facts and fixes for exactly the kinds the families declare."""
    assert kind_problems(CONTRACTS, KINDS) == []


def test_every_verifier_rule_belongs_to_a_family() -> None:
    """Tests that each rule of the verifier is some family's check (none is orphaned)."""
    named = {check.__name__ for f in CONTRACTS for check in f.verify}
    defined = {name for name, fn in inspect.getmembers(rules, inspect.isfunction)
               if fn.__module__ == rules.__name__ and not name.startswith("_")}
    assert defined - VERIFY_HELPERS == named


def test_shared_fields_are_provided_before_use() -> None:
    """Tests that every Context field a family reads is made by an earlier family."""
    assert order_problems(CONTRACTS) == []


# -- the checks have teeth ---------------------------------------------------------------------


def _fake(**changes: object) -> Family:
    spacing = next(f for f in CONTRACTS if f.name == "spacing")
    return replace(spacing, name="fake", **changes)  # type: ignore[arg-type]


def test_teeth_missing_verifier_check() -> None:
    """Tests that a family without a verifier check is reported."""
    assert contract_problems(_fake(verify=())) == ["fake: names no verifier check (verify)"]


def test_teeth_verifier_check_outside_the_verifier() -> None:
    """Tests that a 'check' that is not in planner.verify (e.g. the model itself) is reported."""
    fake = _fake(verify=(build_model,))
    assert contract_problems(fake) == ["fake: verifier check 'build_model' is not in planner.verify"]


def test_teeth_missing_explanation_or_reason() -> None:
    """Tests that a family must either explain or say why not, not neither and not both."""
    message = "fake: needs either explanation kinds (explains) or a reason for none (no_explanation)"
    assert contract_problems(_fake(explains=())) == [message]
    assert contract_problems(_fake(no_explanation="because")) == [message]
    assert contract_problems(_fake(explains=(), no_explanation="because")) == []


def test_teeth_missing_keys_and_constraints() -> None:
    """Tests that a family with no key and no constraint function (nor reason) is reported."""
    assert contract_problems(_fake(keys=(), add=None)) == [
        "fake: needs either a constraint-adding function or a reason it has none (no_constraints)",
        "fake: declares no scenario key (keys) or other input (inputs) it implements",
    ]


def test_teeth_unclaimed_schema_key() -> None:
    """Tests that dropping the spacing family leaves its schema keys unclaimed."""
    others = [f for f in CONTRACTS if f.name != "spacing"]
    assert unclaimed_keys(others) == ["spacing.*.after", "spacing.*.forbid", "spacing.*.hours"]
    assert unknown_keys([_fake(keys=("modules.*.prerequisite",))]) == ["fake: modules.*.prerequisite"]


def test_teeth_kinds_without_family_or_builder() -> None:
    """Tests that a kind no family declares, and a declared kind without builders, are reported."""
    others = [f for f in CONTRACTS if f.name != "spacing"]
    assert kind_problems(others, KINDS) == ["kind 'spacing' belongs to no family"]
    assert kind_problems([*CONTRACTS, _fake(explains=("weather",))], KINDS) == [
        "fake: kind 'weather' has no facts or fixes"]


def test_teeth_order_of_shared_fields() -> None:
    """Tests that reading a field before (or without) its provider is reported."""
    by_name = {f.name: f for f in CONTRACTS}
    assert order_problems([by_name["bounds"], by_name["competencies"]]) == [
        "bounds needs ctx.goal_sat, which no earlier family provides"]
    assert order_problems(CONTRACTS, frozenset({"competencies"})) == [
        "bounds needs ctx.goal_sat, made by competencies, which is skipped"]


def _one_job() -> ProblemData:
    # One participant, one one-slot job on a 2-day grid of 2 slots, one goal needing it.
    return ProblemData(slots_per_day=2, num_days=2, week_shift=0, participants=(ParticipantData("ann", "c", "r"),),
                       resources=(), instructors=(), jobs=(Job("ann/m", "m", (0,), 1, 1, (True, True)),),
                       goals=(Goal(0, "comp", ((0,),), 2),))


def test_build_model_skip_checks_dependencies() -> None:
    """Tests that skipping a family another one reads raises, and skipping both or a leaf family works."""
    data = _one_job()
    with pytest.raises(ValueError, match=r"bounds needs ctx\.goal_sat, made by competencies"):
        build_model(data, skip=frozenset({"competencies"}))
    with pytest.raises(ValueError, match="no constraint family named nonsense"):
        build_model(data, skip=frozenset({"nonsense"}))
    assert build_model(data, skip=frozenset({"competencies", "bounds"})).goal_sat == []
    assert len(build_model(data, skip=frozenset({"bounds"})).goal_sat) == 1
