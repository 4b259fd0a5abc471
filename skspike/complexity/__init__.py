"""complexity (under construction)."""
