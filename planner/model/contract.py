"""The contract of a constraint family: what it implements, adds, checks and explains.

Every module of :mod:`planner.model.families` declares one :class:`Family`
as ``FAMILY``. The declaration ties the family to the rest of the planner,
and ``tests/model/test_contract.py`` fails when one of these is missing:

* ``keys``: the scenario keys whose rule the family implements, as YAML
  paths with ``*`` for the items of a list (``modules.*.prerequisites``); a
  key covers everything under it. Inputs that are not scenario keys (the
  re-planning baseline) go in ``inputs``.
* ``add``: the function that adds its constraints, or ``no_constraints``
  saying where the rule is enforced instead (e.g. in the variables' day
  domains).
* ``verify``: the functions of :mod:`planner.verify.rules` that check the
  rule independently of the model.
* ``explains``: the explanation *kinds* of its facts (``planner explain``
  builds the facts and fixes of each kind in :mod:`planner.analysis.explain`,
  above this layer), or ``no_explanation`` with the reason it has none.
* ``provides``/``requires``: the :class:`~planner.model.context.Context`
  fields the family fills for others or reads from an earlier family; the
  registry checks the order and :func:`planner.model.builder.build_model`
  refuses to skip a family another one needs.

A family of implied cuts (``implied``: why) has no rule of its own: no keys,
no verifier check, nothing to explain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model.context import Context


@dataclass(frozen=True)
class Family:
    """The declaration of one constraint family (see the module docstring)."""

    name: str
    keys: tuple[str, ...]
    add: Callable[[Context], None] | None
    verify: tuple[Callable[..., list[str]], ...]
    explains: tuple[str, ...] = ()
    no_explanation: str = ""
    no_constraints: str = ""
    inputs: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    implied: str = ""


def contract_problems(family: Family) -> list[str]:
    """What ``family``'s declaration lacks or contradicts, in words (empty: it conforms)."""
    out: list[str] = []
    name = family.name or "<unnamed>"
    if not family.name:
        out.append("a family without a name")
    if (family.add is None) == (not family.no_constraints):
        out.append(f"{name}: needs either a constraint-adding function or a reason it has none (no_constraints)")
    if family.implied:
        if family.keys or family.inputs or family.verify or family.explains:
            out.append(f"{name}: a family of implied cuts implements no key, verifier check or explanation")
        return out
    if not family.keys and not family.inputs:
        out.append(f"{name}: declares no scenario key (keys) or other input (inputs) it implements")
    if not family.verify:
        out.append(f"{name}: names no verifier check (verify)")
    for check in family.verify:
        if not getattr(check, "__module__", "").startswith("planner.verify."):
            out.append(f"{name}: verifier check {getattr(check, '__name__', check)!r} is not in planner.verify")
    if bool(family.explains) == bool(family.no_explanation):
        out.append(f"{name}: needs either explanation kinds (explains) or a reason for none (no_explanation)")
    return out


def order_problems(families: Sequence[Family], skip: frozenset[str] = frozenset()) -> list[str]:
    """Families (not in ``skip``) that read a Context field no earlier kept family provides."""
    out: list[str] = []
    provided: dict[str, str] = {}
    providers = {field: f.name for f in families for field in f.provides}
    for family in families:
        if family.name in skip:
            continue
        for field in family.requires:
            if field in provided:
                continue
            if providers.get(field) in skip:
                out.append(f"{family.name} needs ctx.{field}, made by {providers[field]}, which is skipped")
            else:
                out.append(f"{family.name} needs ctx.{field}, which no earlier family provides")
        provided.update(dict.fromkeys(family.provides, family.name))
    return out
