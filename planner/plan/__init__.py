"""Plan a scenario end to end: pre-solve checks, solve, verify, readiness verdicts, relaxation proofs."""
