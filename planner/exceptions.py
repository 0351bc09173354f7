"""Exceptions of the planner. Bad input raises; a bad *plan* is a result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file, located by YAML path and line."""

    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        loc = f" {self.path}:" if self.path else ""
        return f"{where}:{loc} {self.message}"


class PlannerError(Exception):
    """Base class of every error the planner raises on purpose."""


class ScenarioError(PlannerError):
    """The scenario is invalid; ``problems`` lists each problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class OptionError(PlannerError):
    """An option value that does not fit the scenario (``--as-of`` outside its window): a usage error."""


class VerificationError(PlannerError):
    """A produced schedule broke a rule: a bug in the model, never user error."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        head = "\n".join(violations[:20])
        more = f"\n... and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"schedule failed independent verification:\n{head}{more}")
