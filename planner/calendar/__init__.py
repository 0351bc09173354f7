"""The calendar layer: the only place that turns dates into working days and slots."""
