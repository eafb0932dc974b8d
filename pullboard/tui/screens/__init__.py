"""Screens: the board, a milestone, an issue, and modals."""
