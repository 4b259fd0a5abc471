"""plotting (under construction)."""
