"""Benchmarks of the planner's own engine on public scheduling libraries (PSPLIB).

``instance`` (parsing, file checks, sets, the instance as planner data) →
``bounds`` (critical path, reference bounds) → ``sgs`` (serial SGS, time
reversal, left justification), ``temporal`` (RCPSP/max temporal proof),
``checker`` (the independent schedule check) → ``ga`` (activity-list GA) →
``hybrid`` (GA and CP-SAT on one budget per instance) → ``runner`` (a set,
``results.csv``, ``schedules/``).
"""
