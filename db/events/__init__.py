"""Events: extraction from dated statements, merging across sources, curated catalogue."""
