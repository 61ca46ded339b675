"""Use cases. The only layer that commits: one transaction per use case."""
