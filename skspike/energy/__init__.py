"""energy (under construction)."""
