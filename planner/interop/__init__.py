"""Exchange with other tools (TaskJuggler)."""
