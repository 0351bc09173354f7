"""Outputs people read: tables, CSV/JSON exports, terminal text."""

import warnings

# A name with an emoji has no glyph in the charts' font: it is drawn as a box, and matplotlib's warning per
# glyph and chart (dozens of lines, through --quiet too) says nothing the chart does not show.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
