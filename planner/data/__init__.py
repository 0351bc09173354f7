"""Index-based problem data compiled from a scenario on a time grid, and solver-free results."""
