"""The explanation as terminal text (explain.csv is written by :mod:`planner.report.explain`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from planner.analysis.explain.types import Explanation, Fix, GoalExplanation
from planner.data.result import status_words


def points(cost: float) -> str:
    """A cost in the scenario's repair points (``scenario/repairs.py``): "8 points", "1 point"."""
    return f"{cost:g} point{'' if cost == 1 else 's'}"


def _fix_text(fix: Fix, alike: Callable[[str], str]) -> str:
    least = "" if fix.least else " (a smaller change not ruled out)"
    return f"{alike(fix.text)}{least} [cost {points(fix.cost)}]"


def format_explanation(ex: Explanation) -> str:
    """Terminal text: a summary table, then each conflict with its fixes.

    Goals of one participant with the same conflict up to the competency
    (e.g. two competencies with the same rule) are shown once.
    """
    out = ex.outcome
    lines = [
        f"Plan: {out.overall.value}, {ex.ready_before}/{ex.total} participant-competency pairs ready "
        f"({status_words(out.result)}).",
    ]
    lines += [f"Pre-solve: {f}" for f in ex.findings]
    if not ex.goals:
        lines.append("Every participant is ready: nothing to explain.")
        return "\n".join(lines)
    header = ("participant", "competency", "status", "kind", "facts", "cheapest fix", "verified", "ready after")
    rows = []
    for ge in ex.goals:
        fix = ge.fixes[0] if ge.fixes else None
        v = ex.verifications.get(fix.key) if fix else None
        rows.append((ge.participant, ge.competency, ge.status.value, ge.kind, str(len(ge.conflict)) if ge.conflict
                     else "-", fix.text if fix else "-", ex.verified(fix, ge.goal) if fix else "-",
                     f"{v.ready}/{v.total}" if v and fix and ex.verified(fix, ge.goal) == "yes" else "-"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines.append("")
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    groups: dict[tuple[object, ...], list[GoalExplanation]] = {}
    for ge in ex.goals:
        key = (ge.participant, ge.kind, ge.note, tuple(f.generic for f in ge.conflict),
               tuple(f.key.replace(ge.competency, "<C>") for f in ge.fixes))
        groups.setdefault(key, []).append(ge)
    for members in groups.values():
        ge = members[0]
        comps = ", ".join(m.competency for m in members)

        def alike(text: str, ge: GoalExplanation = ge, comps: str = comps) -> str:
            # Name every competency of the group where the text names the first.
            return re.sub(rf"\b{re.escape(ge.competency)}\b", comps.replace(", ", "/"), text)

        lines.append("")
        lines.append(f"{ge.participant} / {comps}: {ge.status.value}, {ge.kind}" + (f" - {ge.note}" if ge.note else ""))
        if ge.conflict:
            proof = "proven irreducible" if ge.proven_minimal else "NOT proven irreducible (a probe hit its time limit)"
            lines.append(f"  conflict ({proof}): these facts together rule it out, even with the facts not listed "
                         "relaxed; without any one of them the rest do not (other facts may rule it out too: the fixes "
                         "are checked on the whole scenario)")
            for f in ge.conflict:
                lines.append(f"    - {alike(f.text)}")
        if ge.fixes:
            lines.append("  fixes (cheapest first, waivers last; checked on the goal, then on the whole scenario keeping every ready pair):")
            # Checked cheapest first: the fixes after the last one checked are counted, then listed.
            checked = [k for k, fix in enumerate(ge.fixes) if ex.verified(fix, ge.goal) != "not run"]
            upto = checked[-1] + 1 if checked else 0
            settled = any(ex.verified(f, ge.goal) == "yes" for f in ge.fixes)
            why = "a cheaper fix is verified" if settled else "time budget"
            for fix in ge.fixes[:upto]:
                v = ex.verifications.get(fix.key)
                verdict = ex.verified(fix, ge.goal)
                result = f"not checked ({why})" if v is None or verdict == "not run" else (
                    f"whole plan: {verdict}" + (f" ({v.ready}/{v.total} pairs ready in it)" if verdict == "yes"
                                                 else " (not without losing a ready pair)" if verdict == "no"
                                                 else " (time limit)"))
                lines.append(f"    - {_fix_text(fix, alike)}: {result}")
            rest = ge.fixes[upto:]
            if rest:
                lines.append(f"    {len(rest)} {'more ' if upto else ''}fix{'' if len(rest) == 1 else 'es'} "
                             f"not checked ({why}):")
                lines += [f"      - {_fix_text(fix, alike)}" for fix in rest]
    # A fix whose whole plan had every pair ready is a single change that makes every pair ready.
    whole = sorted(((f.cost, f.text) for ge in ex.goals for f in ge.fixes if not f.waiver
                    and ex.verified(f, ge.goal) == "yes" and (v := ex.verifications.get(f.key)) is not None
                    and v.ready == v.total), key=lambda t: t[0])
    if whole:
        lines.append("")
        lines.append(f"One change makes every pair ready (its whole plan verified): {whole[0][1]} [cost {points(whole[0][0])}]; "
                     f"'planner repair {out.loaded.path}' proves the cheapest set of changes.")
    elif any(not any(ex.verified(f, ge.goal) == "yes" for f in ge.fixes if not f.waiver) for ge in ex.goals):
        lines.append("")
        lines.append(f"No single change (other than a waiver) is verified to make every pair above ready: 'planner repair {out.loaded.path}' "
                     "finds the cheapest combination of changes, each set verified by a whole re-plan.")
    if ex.exhausted:
        lines.append("")
        hint = "" if out.params.deterministic else (
            " In wall mode what fits in the budget depends on how busy the machine is: --deterministic gives "
            "the same answers under any load.")
        lines.append(f"Time budget used up ({ex.seconds:.0f} s): some answers are missing or unproven; "
                     f"raise --time-limit for more.{hint}")
    for p in ex.problems:
        lines.append(f"warning: {p}")
    return "\n".join(lines)
