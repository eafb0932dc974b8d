"""Widgets: each named for what it shows."""
