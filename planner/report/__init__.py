"""Outputs people read: tables, CSV/JSON exports, terminal text."""
