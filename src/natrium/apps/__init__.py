"""Applications: systems built from cells (critical power first)."""
