"""Benchmarks of the planner's own engine on public scheduling libraries (PSPLIB)."""
