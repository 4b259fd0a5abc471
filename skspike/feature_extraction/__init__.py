"""feature_extraction (under construction)."""
