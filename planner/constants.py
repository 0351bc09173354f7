"""Defaults shared across layers."""

DEFAULT_TIME_LIMIT_S = 60.0
DEFAULT_SEED = 0
# A deterministic run limits work in CP-SAT's deterministic time units
# (roughly seconds on one core) instead of wall time, so that the same input
# gives the same answer whatever the machine load.
DETERMINISTIC_TIME_PER_SECOND = 1.0
MIN_WINDOW_DAYS = 28
MAX_WINDOW_DAYS = 366
DEFAULT_WORKERS = 8
