"""Questions asked of plans: explain, shortest window, compare, re-plan, stress."""
