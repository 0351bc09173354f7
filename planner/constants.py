"""Defaults shared across layers."""

DEFAULT_TIME_LIMIT_S = 60.0
DEFAULT_SEED = 0
MIN_WINDOW_DAYS = 28
MAX_WINDOW_DAYS = 366
DEFAULT_WORKERS = 8
PLAN_GAP = 0.05  # the plan phase stops once its plan is within 5 % of the best lower bound known (issue 20)
PLAN_WORKERS = 4  # the plan phase's portfolio in wall mode, at least (SolveParams.for_plan_phase)
# Wall mode: 'plan --time-limit S' ends within S * (1 + TIME_LIMIT_OVERRUN) + TIME_LIMIT_SLACK_S
# seconds after start-up (loading Python, OR-Tools and the scenario: what 'planner validate' of the
# same scenario takes, 2-3 s on an idle 2-core machine). Every solve draws from one budget of S
# (planner.solve.budget); the overrun covers solvers stopping a little after their limits and model
# building between solves, the slack the verification and writing the files.
TIME_LIMIT_OVERRUN = 0.1
TIME_LIMIT_SLACK_S = 2.0
