"""List-scheduling heuristics (greedy, squeaky wheel): solver starts, never trusted alone."""
