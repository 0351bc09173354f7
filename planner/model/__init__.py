"""The CP-SAT model (the only package, with :mod:`planner.solve`, importing ortools)."""
