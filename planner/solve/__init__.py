"""CP-SAT runs: parameters, the time budget, the two-phase readiness solve and makespan solves."""
