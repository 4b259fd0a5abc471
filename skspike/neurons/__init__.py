"""neurons (under construction)."""
